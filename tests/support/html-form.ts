// What a browser without JavaScript sends for a form of a rendered page: its hidden and text
// inputs, checked radios and checkboxes, textareas, and the pressed submit button. Enough
// HTML reading for the forms our pages render (React's attribute quoting, no nested forms).

const decode = (value: string) =>
  value
    .replaceAll("&quot;", '"')
    .replaceAll("&#x27;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? decode(match[1]!) : null;
}

const has = (tag: string, name: string) => new RegExp(`\\s${name}(=|\\s|/?>)`).test(tag);

/** The form with the given id (or the first form whose opening tag contains `marker`). */
export function formHtml(html: string, marker: string): { action: string | null; body: string } {
  const start = html.indexOf(marker);
  if (start < 0) throw new Error(`no form marked ${marker}`);
  const open = html.lastIndexOf("<form", start);
  const end = html.indexOf("</form>", start);
  const tagEnd = html.indexOf(">", open);
  return { action: attribute(html.slice(open, tagEnd + 1), "action"), body: html.slice(tagEnd + 1, end) };
}

/** The fields the browser would send, as [name, value] pairs, without any submit button. */
export function formFields(body: string): [string, string][] {
  const fields: [string, string][] = [];
  for (const match of body.matchAll(/<(input|textarea)\b[^>]*>/g)) {
    const tag = match[0];
    const name = attribute(tag, "name");
    if (!name || has(tag, "disabled")) continue;
    if (match[1] === "textarea") {
      const close = body.indexOf("</textarea>", match.index!);
      fields.push([name, decode(body.slice(match.index! + tag.length, close))]);
      continue;
    }
    const type = attribute(tag, "type") ?? "text";
    if (type === "submit" || type === "button" || type === "image" || type === "file") continue;
    if ((type === "radio" || type === "checkbox") && !has(tag, "checked")) continue;
    fields.push([name, attribute(tag, "value") ?? (type === "checkbox" || type === "radio" ? "on" : "")]);
  }
  return fields;
}

/** The fields with some changed or added (a radio's name set to another value, a text typed). */
export function edited(fields: [string, string][], changes: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of fields) if (!(name in changes)) form.append(name, value);
  for (const [name, value] of Object.entries(changes)) form.append(name, value);
  return form;
}

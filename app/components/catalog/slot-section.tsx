import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { useTranslation } from "react-i18next";
import { FormError, SubmitButton } from "~/components/forms";
import { dateLocale, perLanguage } from "~/lib/per-language";
import { formatDateTime, TIME_ZONE } from "~/lib/time";
import {
  MAX_WEEKS,
  slotBulkSchema,
  slotCapacitySchema,
  slotCreateSchema,
  WEEKDAYS_MONDAY_FIRST,
} from "~/modules/catalog/slot-schema";
import { CheckboxGroup, InputField } from "~/components/forms";
import { IntentForm, resultFor, usePending, type FormReply } from "./intent-form";

export interface SlotView {
  id: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  booked: number;
  placesLeft: number;
}

const slotTimeFormat = perLanguage(
  (lng) => new Intl.DateTimeFormat(dateLocale(lng), { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit" }),
);

function formatTime(iso: string, lng: string) {
  return slotTimeFormat(lng).format(new Date(iso));
}

const weekdayOptions = perLanguage((lng) => {
  const format = new Intl.DateTimeFormat(dateLocale(lng), { weekday: "short", timeZone: "UTC" });
  // 7 January 2024 was a Sunday (getUTCDay 0).
  return WEEKDAYS_MONDAY_FIRST.map((day) => ({
    value: String(day),
    label: format.format(new Date(Date.UTC(2024, 0, 7 + day))),
  }));
});

/** The options every slot form shares: validate on blur, show the server's answer for this form. */
function formOptions(id: string, reply: FormReply) {
  return { id, lastResult: resultFor(reply, id), shouldValidate: "onBlur", shouldRevalidate: "onInput" } as const;
}

function SlotRow({ slot, reply, canEdit }: { slot: SlotView; reply: FormReply; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const id = `slot-${slot.id}`;
  const [form, fields] = useForm({
    ...formOptions(id, reply),
    defaultValue: { capacity: String(slot.capacity) },
    constraint: getZodConstraint(slotCapacitySchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: slotCapacitySchema }),
  });
  const [deleteForm, deleteFields] = useForm<{ slotId: string }>(formOptions(`slot-delete-${slot.id}`, reply));
  const pending = usePending(form.id);
  return (
    <li className="flex flex-col gap-1 px-4 py-3" data-testid="slot">
      <p className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="font-medium">
          <time dateTime={slot.startsAt}>{formatDateTime(slot.startsAt, lng)}</time>–{formatTime(slot.endsAt, lng)}
        </span>
        <span className={slot.placesLeft === 0 ? "text-red-700" : "text-stone-700"}>
          {t("catalog.slots.placesLeft", { left: slot.placesLeft, capacity: slot.capacity })}
          {slot.booked > 0 ? ` · ${t("catalog.slots.booked", { count: slot.booked })}` : null}
        </span>
      </p>
      {canEdit ? (
        <details open={reply?.form === id || reply?.form === deleteForm.id}>
          <summary className="cursor-pointer text-sm text-leaf">{t("catalog.slots.change")}</summary>
          <div className="mt-2 flex flex-wrap items-end gap-2">
            <IntentForm
              form={form}
              intent="slot-capacity"
              hidden={{ slotId: slot.id }}
              className="flex items-end gap-2"
            >
              <InputField
                meta={fields.capacity}
                label={t("catalog.slots.capacity")}
                type="number"
                inputMode="numeric"
                className="w-28"
              />
              <SubmitButton pending={pending}>{t("catalog.slots.saveCapacity")}</SubmitButton>
            </IntentForm>
            {slot.booked === 0 ? (
              <IntentForm form={deleteForm} intent="slot-delete" hidden={{ slotId: slot.id }}>
                <button
                  type="submit"
                  className="min-h-11 rounded-full px-4 text-sm font-medium text-red-800 ring-1 ring-red-300 hover:bg-red-50"
                >
                  {t("catalog.slots.delete")}
                </button>
                <FormError errors={deleteFields.slotId.errors} />
              </IntentForm>
            ) : null}
          </div>
        </details>
      ) : null}
    </li>
  );
}

function SlotCreateForm({ reply }: { reply: FormReply }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    ...formOptions("slot-new", reply),
    constraint: getZodConstraint(slotCreateSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: slotCreateSchema }),
  });
  return (
    <IntentForm form={form} intent="slot-create" className="grid gap-3 sm:grid-cols-3">
      <InputField meta={fields.date} label={t("catalog.slots.date")} type="date" />
      <InputField meta={fields.time} label={t("catalog.slots.time")} type="time" />
      <InputField meta={fields.capacity} label={t("catalog.slots.capacity")} type="number" inputMode="numeric" />
      <div className="sm:col-span-3">
        <SubmitButton pending={usePending(form.id)}>{t("catalog.slots.create")}</SubmitButton>
      </div>
    </IntentForm>
  );
}

function SlotBulkForm({ reply, today }: { reply: FormReply; today: string }) {
  const { t, i18n } = useTranslation();
  const [form, fields] = useForm({
    ...formOptions("slot-bulk", reply),
    defaultValue: { fromDate: today, weeks: "8" },
    constraint: getZodConstraint(slotBulkSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: slotBulkSchema }),
  });
  return (
    <IntentForm form={form} intent="slot-bulk" className="grid gap-3 sm:grid-cols-2">
      <div className="sm:col-span-2">
        <CheckboxGroup
          meta={fields.weekdays}
          legend={t("catalog.slots.weekdays")}
          options={weekdayOptions(i18n.language)}
          columns="grid-cols-4 sm:grid-cols-7"
        />
      </div>
      <InputField
        meta={fields.times}
        label={t("catalog.slots.times")}
        hint={t("catalog.slots.timesHint")}
        placeholder="09:00, 14:00"
      />
      <InputField meta={fields.fromDate} label={t("catalog.slots.fromDate")} type="date" />
      <InputField
        meta={fields.weeks}
        label={t("catalog.slots.weeks")}
        hint={t("catalog.slots.weeksHint", { max: MAX_WEEKS })}
        type="number"
        inputMode="numeric"
      />
      <InputField meta={fields.capacity} label={t("catalog.slots.capacity")} type="number" inputMode="numeric" />
      <div className="sm:col-span-2">
        <SubmitButton pending={usePending(form.id)}>{t("catalog.slots.bulkCreate")}</SubmitButton>
      </div>
    </IntentForm>
  );
}

/** An experience's upcoming slots with places left, and the forms that add them one by one or by the week. */
export function SlotSection({
  slots,
  total,
  reply,
  canEdit,
  today,
}: {
  slots: SlotView[];
  total: number;
  reply: FormReply;
  canEdit: boolean;
  /** Today in Shanghai, "YYYY-MM-DD": the bulk form's first day. */
  today: string;
}) {
  const { t } = useTranslation();
  return (
    <section id="slots" aria-labelledby="slots-title" className="flex flex-col gap-3">
      <h2 id="slots-title" className="text-xl font-semibold">
        {t("catalog.slots.title")}
      </h2>
      {slots.length === 0 ? (
        <p className="rounded-2xl bg-white p-4 text-stone-700 ring-1 ring-stone-200" data-testid="no-slots">
          {t(canEdit ? "catalog.slots.empty" : "catalog.slots.emptyReadOnly")}
        </p>
      ) : null}
      {canEdit ? (
        <>
          <details
            className="rounded-2xl bg-white p-4 ring-1 ring-stone-200"
            open={slots.length === 0 || reply?.form === "slot-bulk"}
          >
            <summary className="cursor-pointer font-semibold text-leaf">+ {t("catalog.slots.bulkTitle")}</summary>
            <p className="mt-2 text-sm text-stone-600">{t("catalog.slots.bulkIntro")}</p>
            <div className="mt-3">
              <SlotBulkForm reply={reply} today={today} />
            </div>
          </details>
          <details className="rounded-2xl bg-white p-4 ring-1 ring-stone-200" open={reply?.form === "slot-new"}>
            <summary className="cursor-pointer font-semibold text-leaf">+ {t("catalog.slots.createTitle")}</summary>
            <div className="mt-3">
              <SlotCreateForm reply={reply} />
            </div>
          </details>
        </>
      ) : null}
      {slots.length > 0 ? (
        <>
          <ul className="divide-y divide-stone-200 rounded-2xl bg-white ring-1 ring-stone-200">
            {slots.map((slot) => (
              <SlotRow key={slot.id} slot={slot} reply={reply} canEdit={canEdit} />
            ))}
          </ul>
          {total > slots.length ? (
            <p className="text-sm text-stone-600">{t("catalog.slots.more", { count: total - slots.length })}</p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

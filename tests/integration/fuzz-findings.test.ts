import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, signedIn } from "../support/auth";
import { startApp, stopApp } from "../support/remix-app";
import { createCounty } from "./shops-fixtures";

// Regression tests for what the fuzzing suite (fuzz-routes.test.ts) found outside the request
// bounds: each reproduces the shrunk counterexample the fuzzer reported.

let app: (request: Request) => Promise<Response>;

beforeAll(async () => {
  app = await startApp();
});

afterAll(async () => {
  await stopApp();
});

describe("a single-choice field sent twice", () => {
  // Fuzzer: POST /admin/new with countyId repeated → the form was redrawn with an array as the
  // <select>'s value (React: "The `value` prop supplied to <select> must be a scalar value").
  it("redraws the new-shop form with the first choice selected, and no render error", async () => {
    const county = await createCounty("320281");
    const other = await createCounty("320282");
    const user = await createUser();
    const session = await signedIn(user.id);
    const form = new URLSearchParams([
      ["nameZh", ""],
      ["countyId", county.id],
      ["countyId", other.id],
    ]);
    const errors: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    let response: Response;
    let html: string;
    try {
      response = await app(
        new Request("http://localhost/admin/new", {
          method: "POST",
          body: form,
          headers: { Cookie: session.cookie, Origin: "http://localhost", Host: "localhost" },
        }),
      );
      html = await response.text();
    } finally {
      console.error = original;
    }
    expect(response.status).toBe(400);
    expect(errors.map((a) => a.map(String).join(" "))).toEqual([]);
    expect(html).toMatch(new RegExp(`<option value="${county.id}" selected=""`));
    expect(html).not.toMatch(new RegExp(`<option value="${other.id}" selected=""`));
  });
});

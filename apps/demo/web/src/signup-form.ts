import type { FieldIssue, UpsertRequestInput } from "@patron/core";

/** The form's optional text inputs, by the API path each one fills. */
const TEXT_FIELDS = ["firstName", "lastName", "phoneNumber"] as const;
const LOCATION_FIELDS = ["street1", "street2", "city", "state", "postalCode"] as const;

/** The custom fields the form sends; their first values declare these types in the store. */
export const CUSTOM_FIELDS = {
  marketingOptIn: "marketing_opt_in", // BOOLEAN
  loyaltyPoints: "loyalty_points", // NUMBER
  birthday: "birthday", // DATE
} as const;

/** A problem found before sending, in the same shape as the API's. */
export class FormProblem extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((issue) => issue.message).join("; "));
  }
}

/**
 * Turns the form into an upsert body. Empty inputs are left out rather than sent as `""`: an
 * upsert keeps what it is not told, so a returning member who fills in only a new phone number
 * keeps the rest of the profile. The API does all other checking; its answer decides.
 */
export function readSignup(form: HTMLFormElement): UpsertRequestInput {
  const text = (name: string) => {
    const value = form.elements.namedItem(name);
    return value instanceof HTMLInputElement || value instanceof HTMLSelectElement
      ? value.value.trim()
      : "";
  };
  // The email is always sent, even empty, so the API's answer is "must be a valid email".
  const body: Record<string, unknown> = { email: text("email") };
  for (const name of TEXT_FIELDS) {
    if (text(name)) body[name] = text(name);
  }

  const location: Record<string, string> = {};
  for (const name of LOCATION_FIELDS) {
    if (text(name)) location[name] = text(name);
  }
  const country = form.elements.namedItem("countryCode") as HTMLSelectElement;
  if (country.value) {
    location.countryCode = country.value;
    location.country = country.selectedOptions[0]?.textContent ?? country.value;
  }
  if (Object.keys(location).length > 0) body.location = location;

  const optIn = form.elements.namedItem("marketingOptIn") as HTMLInputElement;
  const customFields: Record<string, unknown> = { [CUSTOM_FIELDS.marketingOptIn]: optIn.checked };
  const points = form.elements.namedItem("loyaltyPoints") as HTMLInputElement;
  if (points.validity.badInput) {
    const path = `customFields.${CUSTOM_FIELDS.loyaltyPoints}`;
    throw new FormProblem([{ path, code: "not_a_number", message: "Enter a whole number" }]);
  }
  if (points.value !== "") customFields[CUSTOM_FIELDS.loyaltyPoints] = points.valueAsNumber;
  // A date input gives `YYYY-MM-DD`; midnight UTC makes it the date-time a DATE field takes.
  if (text("birthday")) customFields[CUSTOM_FIELDS.birthday] = `${text("birthday")}T00:00:00.000Z`;
  body.customFields = customFields;

  return body as UpsertRequestInput;
}

/**
 * Shows each problem under the input its path names (`phoneNumber`, `location.city`,
 * `customFields.birthday`), marks that input invalid and focuses the first one. Returns the
 * problems no input on the form stands for.
 */
export function showFieldErrors(
  form: HTMLFormElement,
  issues: readonly FieldIssue[],
): FieldIssue[] {
  clearFieldErrors(form);
  const unplaced: FieldIssue[] = [];
  let first: HTMLElement | undefined;
  for (const issue of issues) {
    const field = form.querySelector<HTMLElement>(`.field[data-path="${CSS.escape(issue.path)}"]`);
    const message = field?.querySelector<HTMLElement>(".field-error");
    const input = field?.querySelector<HTMLElement>("input, select");
    if (!field || !message || !input) {
      unplaced.push(issue);
      continue;
    }
    // Several problems for one field read as one sentence each.
    message.textContent = message.textContent
      ? `${message.textContent} ${issue.message}`
      : issue.message;
    message.hidden = false;
    field.classList.add("has-error");
    input.setAttribute("aria-invalid", "true");
    first ??= input;
  }
  first?.focus();
  return unplaced;
}

/** Removes every field error the form shows. */
export function clearFieldErrors(form: HTMLFormElement): void {
  for (const field of form.querySelectorAll<HTMLElement>(".field.has-error")) {
    field.classList.remove("has-error");
    field.querySelector("[aria-invalid]")?.removeAttribute("aria-invalid");
    const message = field.querySelector<HTMLElement>(".field-error");
    if (message) {
      message.textContent = "";
      message.hidden = true;
    }
  }
}

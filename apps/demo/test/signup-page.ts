import type { Page } from "playwright-core";

/** What a test types into the sign-up form; inputs left out stay as they are. */
export interface SignupValues {
  email?: string;
  firstName?: string;
  lastName?: string;
  phoneNumber?: string;
  street1?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  countryCode?: string;
  birthday?: string;
  loyaltyPoints?: string;
  marketingOptIn?: boolean;
}

/** A member with every input of the form filled. */
export const JANE: SignupValues = {
  email: "jane.smith@example.com",
  firstName: "Jane",
  lastName: "Smith",
  phoneNumber: "+1 206 555 0100",
  street1: "1200 Pike Street",
  city: "Seattle",
  state: "Washington",
  postalCode: "98101",
  countryCode: "US",
  birthday: "1990-05-17",
  loyaltyPoints: "120",
  marketingOptIn: true,
};

/** Opens a page of the demo and waits until its client is connected. */
export async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator("body[data-ready]").waitFor();
}

/** Fills the sign-up form by its visible labels, as a person would. */
export async function fillSignup(page: Page, values: SignupValues): Promise<void> {
  const labels: [keyof SignupValues, string][] = [
    ["email", "Email"],
    ["firstName", "First name"],
    ["lastName", "Last name"],
    ["phoneNumber", "Phone"],
    ["street1", "Street address"],
    ["city", "City"],
    ["state", "State or region"],
    ["postalCode", "Postal code"],
    ["birthday", "Birthday"],
    ["loyaltyPoints", "Points from your paper card"],
  ];
  for (const [key, label] of labels) {
    const value = values[key];
    if (typeof value === "string") await page.getByLabel(label, { exact: true }).fill(value);
  }
  if (values.countryCode !== undefined) {
    await page.getByLabel("Country", { exact: true }).selectOption(values.countryCode);
  }
  if (values.marketingOptIn !== undefined) {
    await page.getByLabel("Email me about new roasts").setChecked(values.marketingOptIn);
  }
}

/** Submits the form and waits for the status message to say how it went. */
export async function submitSignup(page: Page): Promise<{ outcome: string; text: string }> {
  const status = page.locator("#form-status");
  await page.evaluate(() =>
    document.getElementById("form-status")?.removeAttribute("data-outcome"),
  );
  await page.getByRole("button", { name: "Join the club" }).click();
  await status.and(page.locator("[data-outcome]")).waitFor();
  return {
    outcome: (await status.getAttribute("data-outcome")) ?? "",
    text: (await status.textContent()) ?? "",
  };
}

/**
 * The admin page: the store's customers a page at a time, one customer's full profile, and the
 * store's custom field declarations. It only reads, with the admin's visitor session.
 */
import "./styles.css";
import type { BrowserClient } from "@patron/browser/client";
import type { CustomerProfile, FieldDeclaration, FieldType, Location } from "@patron/core";
import { trackConnection } from "./connection-status.js";
import { byId, formatDate, formatDateTime, h } from "./dom.js";
import { connectToPatron } from "./patron-connection.js";

/** Customers per page. Small, so that paging shows after a handful of sign-ups. */
const PAGE_SIZE = 10;

const LOCATION_LABELS: [keyof Location, string][] = [
  ["street1", "Street"],
  ["street2", "Apartment"],
  ["city", "City"],
  ["state", "State"],
  ["stateCode", "State code"],
  ["postalCode", "Postal code"],
  ["country", "Country"],
  ["countryCode", "Country code"],
  ["latitude", "Latitude"],
  ["longitude", "Longitude"],
];

const customersBody = byId<HTMLTableSectionElement>("customers");
const detail = byId("detail");
const previousButton = byId<HTMLButtonElement>("previous");
const nextButton = byId<HTMLButtonElement>("next");

/** The cursor of each page seen so far; the first page has none. */
const pageCursors: (string | undefined)[] = [undefined];
let pageIndex = 0;
let nextCursor: string | null = null;
let selectedEmail: string | undefined;
let declarations = new Map<string, FieldDeclaration>();

function showError(error: unknown): void {
  const alert = byId("admin-error");
  alert.textContent = error instanceof Error ? error.message : String(error);
  alert.hidden = false;
}

function typeBadge(type: FieldType | undefined): HTMLElement {
  return h("span", { class: "type-badge", "data-type": type ?? "unknown" }, type ?? "undeclared");
}

/** A custom field value as its declared type reads best. */
function formatValue(value: string | number | boolean, type: FieldType | undefined): string {
  if (type === "BOOLEAN") return value ? "Yes" : "No";
  if (type === "NUMBER" && typeof value === "number") return value.toLocaleString();
  if (type === "DATE" && typeof value === "string") {
    return new Date(value).toLocaleDateString(undefined, { dateStyle: "long", timeZone: "UTC" });
  }
  return String(value);
}

function renderDeclarations(list: FieldDeclaration[]): void {
  declarations = new Map(list.map((declaration) => [declaration.name, declaration]));
  byId("declarations").replaceChildren(
    ...list.map((declaration) =>
      h(
        "tr",
        { "data-field": declaration.name },
        h("td", {}, h("code", {}, declaration.name)),
        h("td", {}, typeBadge(declaration.type)),
        h(
          "td",
          { class: "nowrap", title: formatDateTime(declaration.createdAt) },
          formatDate(declaration.createdAt),
        ),
      ),
    ),
  );
  byId("declarations-empty").hidden = list.length > 0;
}

function renderCustomers(customers: CustomerProfile[]): void {
  customersBody.replaceChildren(
    ...customers.map((customer) => {
      const row = h(
        "tr",
        { "data-email": customer.email, "aria-selected": customer.email === selectedEmail },
        h(
          "td",
          {},
          h("button", { type: "button", class: "link" }, customer.displayName ?? "(no name)"),
        ),
        h("td", { class: "email" }, customer.email),
        h("td", { class: "wide-only" }, customer.phoneNumber ?? "—"),
        h("td", { class: "wide-only nowrap" }, formatDateTime(customer.updatedAt)),
      );
      row.addEventListener("click", () => void select(customer.email));
      return row;
    }),
  );
  byId("customers-empty").hidden = customers.length > 0 || pageIndex > 0;
  byId("page-label").textContent = `Page ${pageIndex + 1}`;
  previousButton.disabled = pageIndex === 0;
  nextButton.disabled = nextCursor === null;
}

function definitionList(entries: [string, string | Node][]): HTMLElement {
  return h(
    "dl",
    { class: "facts" },
    ...entries.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]),
  );
}

function renderDetail(customer: CustomerProfile): void {
  const phones = customer.phoneNumbers ?? [];
  const location = customer.location ?? {};
  const locationFacts = LOCATION_LABELS.filter(([key]) => location[key] !== undefined).map(
    ([key, label]): [string, string] => [label, String(location[key])],
  );
  const fields = Object.entries(customer.customFields ?? {});

  detail.replaceChildren(
    h("h2", { id: "detail-title" }, customer.displayName ?? customer.email),
    h("p", { class: "muted detail-email" }, customer.email),
    definitionList([
      ["Customer id", h("code", {}, customer.id)],
      ["Created", formatDateTime(customer.createdAt)],
      ["Updated", formatDateTime(customer.updatedAt)],
    ]),
    h("h3", {}, "Phone numbers"),
    phones.length > 0
      ? h(
          "ol",
          { class: "phones" },
          ...phones.map((phone) =>
            h(
              "li",
              {},
              h("span", { class: "mono" }, phone),
              phone === customer.phoneNumber ? h("span", { class: "tag" }, "latest") : null,
            ),
          ),
        )
      : h("p", { class: "muted" }, "None"),
    h("h3", {}, "Location"),
    locationFacts.length > 0 ? definitionList(locationFacts) : h("p", { class: "muted" }, "None"),
    h("h3", {}, "Custom fields"),
    fields.length > 0
      ? h(
          "table",
          { class: "table compact custom-fields" },
          h(
            "thead",
            {},
            h("tr", {}, h("th", {}, "Field"), h("th", {}, "Value"), h("th", {}, "Type")),
          ),
          h(
            "tbody",
            {},
            ...fields.map(([name, value]) => {
              const type = declarations.get(name)?.type;
              return h(
                "tr",
                { "data-field": name },
                h("td", {}, h("code", {}, name)),
                h("td", { title: String(value) }, formatValue(value, type)),
                h("td", {}, typeBadge(type)),
              );
            }),
          ),
        )
      : h("p", { class: "muted" }, "None"),
  );
}

let client: BrowserClient;

async function select(email: string): Promise<void> {
  selectedEmail = email;
  for (const row of customersBody.querySelectorAll<HTMLElement>("tr")) {
    row.setAttribute("aria-selected", String(row.dataset.email === email));
  }
  renderDetail(await client.getCustomer(email));
}

async function loadPage(): Promise<void> {
  const page = await client.listCustomers({ limit: PAGE_SIZE, cursor: pageCursors[pageIndex] });
  nextCursor = page.nextCursor;
  renderCustomers(page.data);
}

/** Reads everything again: declarations first, so the profile shows current types. */
async function refresh(): Promise<void> {
  byId("admin-error").hidden = true;
  renderDeclarations(await client.listCustomFields());
  await loadPage();
  if (selectedEmail) await select(selectedEmail);
}

async function start(): Promise<void> {
  // Its own outbox name: the admin never writes, and must not send the storefront's queue.
  const connection = await connectToPatron("admin", { outboxName: "patron-demo-admin" });
  client = connection.client;
  byId("store-id").textContent = connection.storeId;
  trackConnection(byId("connection"));

  byId("refresh").addEventListener("click", () => void refresh().catch(showError));
  nextButton.addEventListener("click", () => {
    if (nextCursor === null) return;
    pageIndex += 1;
    pageCursors[pageIndex] = nextCursor;
    void loadPage().catch(showError);
  });
  previousButton.addEventListener("click", () => {
    if (pageIndex === 0) return;
    pageIndex -= 1;
    void loadPage().catch(showError);
  });
  // Coming back from the storefront tab shows the sign-ups made there.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") void refresh().catch(showError);
  });

  await refresh();
  document.body.dataset.ready = "true";
}

start().catch(showError);

/** The seed request from the Redo documentation. */
export const SEED_REQUEST = {
  email: "jane@example.com",
  firstName: "Jane",
  lastName: "Smith",
  phoneNumber: "+11234567890",
  location: {
    street1: "123 Main St",
    street2: "Suite 12",
    city: "Seattle",
    state: "Washington",
    stateCode: "WA",
    postalCode: "98101",
    country: "United States",
    countryCode: "US",
    latitude: 47.6062,
    longitude: -122.3321,
  },
  customFields: {
    pricing_plan: "com.example.yearly",
    status: "Active",
    subscription_source: "web",
    loyalty_points: 1250,
    vip_member: true,
  },
} as const;

/** Limits the contract sets on requests and stores. */
export const LIMITS = {
  emailLength: 254,
  nameLength: 255,
  locationTextLength: 255,
  customFieldsPerRequest: 100,
  customFieldKeyLength: 128,
  customFieldStringLength: 10_000,
  declarationsPerStore: 1_000,
} as const;

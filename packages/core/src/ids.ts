/**
 * Ids in the ObjectId layout: 4 bytes of seconds since the epoch, 5 random bytes chosen once per
 * process, and a 3-byte counter. Written as 24 lowercase hex characters, they sort by creation
 * time, which is what cursor paging relies on.
 */
const processBytes = crypto.getRandomValues(new Uint8Array(5));
let counter = crypto.getRandomValues(new Uint32Array(1))[0]! & 0xffffff;

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** Returns a new id; `now` only sets the timestamp part. */
export function newId(now: Date = new Date()): string {
  const seconds = Math.floor(now.getTime() / 1000);
  counter = (counter + 1) & 0xffffff;
  const bytes = new Uint8Array(12);
  new DataView(bytes.buffer).setUint32(0, seconds >>> 0);
  bytes.set(processBytes, 4);
  bytes[9] = counter >>> 16;
  bytes[10] = (counter >>> 8) & 0xff;
  bytes[11] = counter & 0xff;
  return toHex(bytes);
}

/** Whether `value` is a well-formed store or customer id. */
export function isId(value: string): boolean {
  return OBJECT_ID.test(value);
}

/** Lowercase hex of some bytes. */
export function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

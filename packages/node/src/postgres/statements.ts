import type pg from "pg";

/**
 * Every statement the Postgres store runs. Each has a `name`, so node-postgres prepares it once per
 * connection and later runs skip parsing and planning.
 */

/**
 * Reads what planning an upsert needs in one round trip: the customer row with its version, the
 * store's declaration count and the declarations of the fields the request names. No row at all
 * means the store does not exist.
 *
 * Parameters: $1 store id, $2 normalized email, $3 field names (text[]).
 */
function readForUpsert(lock: boolean): pg.QueryConfig {
  return {
    name: lock ? "patron_read_for_upsert_locked" : "patron_read_for_upsert",
    text: `
      WITH customer AS (
        SELECT version, record FROM patron.customers
        WHERE store_id = $1 AND email = $2
        ${lock ? "FOR UPDATE" : ""}
      )
      SELECT
        (SELECT version FROM customer) AS version,
        (SELECT record FROM customer) AS record,
        s.declaration_count,
        (SELECT json_agg(json_build_object('name', d.name, 'type', d.type,
                                           'createdAt', d.created_at))
         FROM patron.declarations d
         WHERE d.store_id = $1 AND d.name = ANY ($3::text[])) AS declared
      FROM patron.stores s
      WHERE s.id = $1`,
  };
}

/** The read outside a transaction (optimistic) and the one that locks the customer row. */
export const READ_FOR_UPSERT = readForUpsert(false);
export const READ_FOR_UPSERT_LOCKED = readForUpsert(true);

/**
 * The customer half of a write. An insert fails with a unique violation when another writer
 * created the customer first; an update matches no row when another writer changed it since it
 * was read. Either way the caller reads again and plans again.
 *
 * Parameters: $1 store id, $2 email, $3 customer id, $4 record (JSON text), $5 the version read.
 */
const INSERT_CUSTOMER = `
  INSERT INTO patron.customers (store_id, email, id, version, record)
  VALUES ($1, $2, $3, $5::bigint + 1, $4)
  RETURNING 1`;

const UPDATE_CUSTOMER = `
  UPDATE patron.customers SET record = $4, version = version + 1
  WHERE store_id = $1 AND email = $2 AND id = $3 AND version = $5
  RETURNING 1`;

/**
 * The declaration half, run only when the customer half wrote. Bumping the store's counter takes
 * the store row's lock and re-checks the schema's cap on the latest count (a check violation when
 * it would pass 1,000); the plain INSERT fails with a unique violation when another writer
 * declared one of the names meanwhile. Both errors undo the whole statement, customer included.
 *
 * Parameters: $6 names, $7 types, $8 createdAt values (text[] each, in the plan's order).
 */
const DECLARE_FIELDS = `,
  quota AS (
    UPDATE patron.stores SET declaration_count = declaration_count + cardinality($6::text[])
    WHERE id = $1 AND EXISTS (SELECT 1 FROM customer)
    RETURNING 1
  ),
  declared AS (
    INSERT INTO patron.declarations (store_id, name, type, created_at)
    SELECT $1, d.name, d.type, d.created_at
    FROM unnest($6::text[], $7::text[], $8::text[])
      WITH ORDINALITY AS d (name, type, created_at, position)
    WHERE EXISTS (SELECT 1 FROM quota)
    ORDER BY d.position
  )`;

/**
 * Writes one planned upsert in a single statement, so it commits on its own (one round trip) or
 * inside the caller's transaction. Returns one row: `written` is 0 when the update found the
 * customer changed since it was read, and then nothing at all was written.
 */
export function writeUpsert(created: boolean, declaring: boolean): pg.QueryConfig {
  const customer = created ? INSERT_CUSTOMER : UPDATE_CUSTOMER;
  return {
    name: `patron_write_${created ? "new" : "existing"}${declaring ? "_declaring" : ""}`,
    text: `WITH customer AS (${customer})${declaring ? DECLARE_FIELDS : ""}
      SELECT count(*)::integer AS written FROM customer`,
  };
}

export const CUSTOMER_BY_EMAIL: pg.QueryConfig = {
  name: "patron_customer_by_email",
  text: "SELECT record FROM patron.customers WHERE store_id = $1 AND email = $2",
};

export const CUSTOMERS_AFTER: pg.QueryConfig = {
  name: "patron_customers_after",
  text: `SELECT record FROM patron.customers
    WHERE store_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
};

export const DECLARATIONS: pg.QueryConfig = {
  name: "patron_declarations",
  text: `SELECT name, type, created_at AS "createdAt" FROM patron.declarations
    WHERE store_id = $1 ORDER BY position`,
};

export const INSERT_STORE: pg.QueryConfig = {
  name: "patron_insert_store",
  text: "INSERT INTO patron.stores (id, name, created_at) VALUES ($1, $2, $3)",
};

export const STORE_BY_ID: pg.QueryConfig = {
  name: "patron_store_by_id",
  text: `SELECT id, name, created_at AS "createdAt" FROM patron.stores WHERE id = $1`,
};

export const STORES: pg.QueryConfig = {
  name: "patron_stores",
  text: `SELECT id, name, created_at AS "createdAt" FROM patron.stores ORDER BY created_at, id`,
};

export const INSERT_TOKEN: pg.QueryConfig = {
  name: "patron_insert_token",
  text: "INSERT INTO patron.tokens (hash, store_id, created_at) VALUES ($1, $2, $3)",
};

export const TOKEN_BY_HASH: pg.QueryConfig = {
  name: "patron_token_by_hash",
  text: `SELECT hash, store_id AS "storeId", created_at AS "createdAt" FROM patron.tokens
    WHERE hash = $1`,
};

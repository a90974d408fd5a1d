import type { PGlite } from "@electric-sql/pglite";
import type PgBoss from "pg-boss";

/**
 * pg-boss over the embedded database, in this process (PGlite is one connection; see STACK-NOTES).
 * pg-boss sends parameterless multi-statement scripts for its maintenance (BEGIN; lock; …; COMMIT),
 * which only PGlite's exec runs; everything with parameters is one statement.
 */
export function pgliteBossDb(pglite: PGlite): PgBoss.Db {
  return {
    async executeSql(text, values) {
      if (values?.length) {
        const result = await pglite.query(text, values);
        return { rows: result.rows };
      }
      const results = await pglite.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    },
  };
}

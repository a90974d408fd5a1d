/**
 * Seeds the demo workspace into the database at DATABASE_URL (or the embedded one under
 * DATA_DIR):  npm run db:seed
 */
import { connectDatabase } from "@devflow/db";
import { seedDemo } from "./seed/demo";

const db = await connectDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? ".data" });
try {
  const result = await seedDemo(db);
  console.log(result.seeded ? `Seeded the demo workspace (${result.organizationSlug}).` : "The demo workspace already exists.");
} finally {
  await db.close();
}

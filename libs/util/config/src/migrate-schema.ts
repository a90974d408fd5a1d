import { z } from "zod";
import { devflowEnv, postgresUrl } from "./schemas";

/**
 * The migration command (`npm run db:migrate`, the deployment's migrate job). It connects as the
 * schema owner, never as the apps' role, and in a deployment also gives that role its login.
 */
export const MigrateConfigSchema = z
  .object({
    DEVFLOW_ENV: devflowEnv,
    /** The schema owner. Falls back to DATABASE_URL; neither: the embedded database under DATA_DIR. */
    MIGRATION_DATABASE_URL: postgresUrl.optional(),
    DATABASE_URL: postgresUrl.optional(),
    DATA_DIR: z.string().default(".data"),
    /**
     * Gives the apps' role (devflow_app) a login with this password after migrating, so the apps
     * connect as a role that obeys row-level security rather than as the owner.
     */
    DATABASE_APP_PASSWORD: z.string().min(16, "must be at least 16 characters").optional(),
    /** Where the migration folders are; the container image keeps them beside the command. */
    MIGRATIONS_DIR: z.string().min(1).optional(),
  })
  .superRefine((config, ctx) => {
    if (config.DEVFLOW_ENV === "production" && !config.MIGRATION_DATABASE_URL && !config.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["MIGRATION_DATABASE_URL"],
        message: "is required when DEVFLOW_ENV=production (the embedded database is for development only)",
      });
    }
  });

export type MigrateConfig = z.infer<typeof MigrateConfigSchema>;

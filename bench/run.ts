/**
 * npm run bench — runs every benchmark and prints a table. Numbers are for this machine at this
 * moment; compare runs on the same machine, not across machines.
 */
import { benchRestListDocuments } from "./rest-list-documents";
import { benchStartup } from "./startup";

const only = process.argv[2];
const benches: Record<string, () => Promise<Record<string, unknown>>> = {
  "rest-list-documents": benchRestListDocuments,
  startup: benchStartup,
};

for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  process.stdout.write(`\n## ${name}\n`);
  const result = await run();
  for (const [label, value] of Object.entries(result)) process.stdout.write(`${label}: ${JSON.stringify(value)}\n`);
}
process.exit(0);

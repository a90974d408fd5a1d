import { notFound } from "@devflow/util-core";
import { handle } from "@/lib/http";

// API clients get the JSON error envelope for unknown paths, not Next's HTML 404 page.
const unknownRoute = handle<{ path: string[] }>(async (req) => {
  throw notFound("API route", `${req.method} ${new URL(req.url).pathname}`);
});

export {
  unknownRoute as DELETE,
  unknownRoute as GET,
  unknownRoute as PATCH,
  unknownRoute as POST,
  unknownRoute as PUT,
};

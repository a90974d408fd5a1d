"use client";

import { Alert, Button } from "@devflow/web-ui";

/** Unexpected failures while rendering a signed-in page; the sidebar stays usable. */
export default function OrganizationError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error ? String(error.digest) : null;
  return (
    <div className="page">
      <Alert
        title="This page could not be shown"
        action={
          <Button size="sm" onClick={() => retry()}>
            Try again
          </Button>
        }
      >
        Something went wrong on our side.{digest && ` Reference: ${digest}.`}
      </Alert>
    </div>
  );
}

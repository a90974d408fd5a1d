"use client";

import type { CreatedApiTokenDto } from "@devflow/contracts";
import { Alert, Button } from "@devflow/web-ui";
import { useEffect, useState } from "react";
import styles from "./tokens.module.css";

/** The new token, once, with a copy button and a plain warning that it cannot be shown again. */
export function TokenReveal({ created, onDone }: { created: CreatedApiTokenDto; onDone: () => void }) {
  const [copyState, setCopyState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (copyState === "idle") return;
    const timer = setTimeout(() => setCopyState("idle"), 2_000);
    return () => clearTimeout(timer);
  }, [copyState]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopyState("copied");
    } catch {
      setCopyState("failed");
    }
  }

  return (
    <div className={styles.reveal} data-testid="token-reveal">
      <Alert tone="info" title="You won't see this token again">
        Copy it now and keep it somewhere safe, such as your CI's secret store. If you lose it, revoke it and create a
        new one.
      </Alert>
      <div className={styles.secretRow}>
        <input
          className={styles.secret}
          value={created.token}
          readOnly
          aria-label={`API token ${created.name}`}
          onFocus={(event) => event.currentTarget.select()}
          spellCheck={false}
          autoComplete="off"
          data-testid="token-value"
        />
        <Button variant="primary" onClick={copy} data-testid="copy-token">
          <span aria-live="polite">
            {copyState === "copied" ? "Copied" : copyState === "failed" ? "Select and copy" : "Copy"}
          </span>
        </Button>
      </div>
      <p className="page-subtitle">
        Send it as <code>Authorization: Bearer &lt;token&gt;</code> to the REST API.
      </p>
      <div className="ui-dialog__footer">
        <Button onClick={onDone} data-testid="token-reveal-done">
          Done
        </Button>
      </div>
    </div>
  );
}

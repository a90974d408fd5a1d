"use client";

import { Button, type ButtonVariant } from "@devflow/web-ui";
import { useEffect, useState } from "react";

export interface CopyValueButtonProps {
  value: string;
  /** Accessible name, e.g. "Copy SCIM base URL". */
  label: string;
  variant?: ButtonVariant;
  testId?: string;
}

/** Copies `value` and says so for a moment, announced politely to screen readers. */
export function CopyValueButton({ value, label, variant = "ghost", testId }: CopyValueButtonProps) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2_000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
  }

  return (
    <Button size="sm" variant={variant} onClick={copy} aria-label={label} data-testid={testId}>
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Select and copy" : "Copy"}</span>
    </Button>
  );
}

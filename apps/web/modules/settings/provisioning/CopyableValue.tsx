"use client";

import type { ButtonVariant } from "@devflow/web-ui";
import { CopyValueButton } from "./CopyValueButton";
import styles from "./provisioning.module.css";

export interface CopyableValueProps {
  value: string;
  /** The field's accessible name, e.g. "Payload URL". */
  label: string;
  /** The copy button's accessible name, e.g. "Copy payload URL". */
  copyLabel: string;
  /** A secret: no spell checking or autofill, which could send it elsewhere. */
  isSecret?: boolean;
  variant?: ButtonVariant;
  /** On the field, so tests can read its value. */
  testId?: string;
}

/** A read-only value to paste elsewhere (a URL, a secret shown once): selected on focus, with a copy button. */
export function CopyableValue({ value, label, copyLabel, isSecret = false, variant, testId }: CopyableValueProps) {
  return (
    <div className={styles.valueRow}>
      <input
        className={styles.value}
        value={value}
        readOnly
        aria-label={label}
        onFocus={(event) => event.currentTarget.select()}
        {...(isSecret && { spellCheck: false, autoComplete: "off" })}
        data-testid={testId}
      />
      <CopyValueButton value={value} label={copyLabel} {...(variant && { variant })} />
    </div>
  );
}

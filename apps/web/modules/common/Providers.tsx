"use client";

import { StoreProvider } from "@devflow/web-data-access";
import type { ReactNode } from "react";

/*
 * The client boundary for app-wide providers. Server components (the root layout) import this file,
 * never @devflow/web-data-access itself, so RTK Query's React bindings stay out of the server graph.
 */
export function Providers({ children }: { children: ReactNode }) {
  return <StoreProvider>{children}</StoreProvider>;
}

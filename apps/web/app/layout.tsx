import "@devflow/web-ui/styles.css";
import "./globals.css";
import "./styles/auth.css";
import "./styles/documents.css";
import "./styles/files.css";
import "./styles/projects.css";
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/modules/common/Providers";

export const metadata: Metadata = {
  title: { default: "DevFlow", template: "%s · DevFlow" },
  description: "The workspace for software teams: design docs, RFCs and ADRs, written together.",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f7f7f9" },
    { media: "(prefers-color-scheme: dark)", color: "#111217" },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}

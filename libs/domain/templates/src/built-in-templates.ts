import type { DocumentKind } from "@devflow/contracts";

export interface BuiltInTemplate {
  id: `builtin:${string}`;
  name: string;
  description: string;
  kind: DocumentKind;
  content: string;
}

/** The templates every organization has. {{title}} and {{date}} are filled in when a document is made. */
export const BUILT_IN_TEMPLATES: readonly BuiltInTemplate[] = [
  {
    id: "builtin:design_doc",
    name: "Design doc",
    description: "Context, goals, the proposed design, alternatives and a rollout plan.",
    kind: "design_doc",
    content: `# {{title}}

_Status: draft · Last updated {{date}}_

## Context
What problem are we solving, for whom, and why now? Link the tickets, incidents or requests behind it.

## Goals and non-goals
- Goal:
- Non-goal:

## Proposed design
Describe the design: components, data model, APIs and how they fit together.

## Alternatives considered
| Option | Pros | Cons |
|---|---|---|
|  |  |  |

## Risks and open questions
-

## Rollout and testing
How this ships safely: flags, migrations, monitoring, and how we know it works.
`,
  },
  {
    id: "builtin:rfc",
    name: "RFC",
    description: "A proposal for discussion: motivation, detailed design, drawbacks and unresolved questions.",
    kind: "rfc",
    content: `# RFC: {{title}}

- **Status:** proposed
- **Created:** {{date}}
- **Reviewers:**

## Summary
One paragraph: what is proposed.

## Motivation
Why this matters and what happens if we do nothing.

## Detailed design
The proposal in enough detail that someone else could build it.

## Drawbacks
Why might we not do this?

## Alternatives
What else was considered, and why this one.

## Unresolved questions
- 
`,
  },
  {
    id: "builtin:adr",
    name: "ADR",
    description: "An architecture decision record: context, decision and consequences.",
    kind: "adr",
    content: `# ADR: {{title}}

- **Status:** proposed
- **Date:** {{date}}

## Context
The forces at play: technical, organizational, what constrains the choice.

## Decision
We will …

## Consequences
What becomes easier, what becomes harder, and what we will watch.
`,
  },
  {
    id: "builtin:requirements",
    name: "Requirements",
    description: "Problem, users, requirements with acceptance criteria, and how success is measured.",
    kind: "requirements",
    content: `# {{title}} — requirements

_Drafted {{date}}_

## Problem
Who has the problem, and what does it cost them today?

## Users and scenarios
-

## Requirements
| # | Requirement | Priority | Acceptance criteria |
|---|---|---|---|
| 1 |  | must |  |

## Out of scope
-

## Success metrics
How we will know it worked.
`,
  },
];

/** Fills a template's placeholders. Unknown placeholders are left as they are. */
export function fillTemplate(content: string, values: { title: string; date: string }): string {
  return content.replace(/\{\{(title|date)\}\}/g, (_, key: "title" | "date") => values[key]);
}

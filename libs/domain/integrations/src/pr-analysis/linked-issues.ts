import { PR_LINKED_ISSUES_MAX, type PrLinkedIssue } from "@devflow/contracts";

/** An issue of the pull request's own repository its text references, and how. */
export interface IssueReference {
  number: number;
  relation: PrLinkedIssue["relation"];
}

/**
 * `#12` or `owner/repo#12`, not inside a word or a URL path (`a#1`, `/pull/3#4`), optionally after one
 * of GitHub's closing keywords and a colon ("Linking a pull request to an issue using a keyword",
 * docs.github.com).
 */
const REFERENCE =
  /(?:\b(close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+)?(?<![\w/#.-])(?:([\w.-]+)\/([\w.-]+))?#(\d{1,9})\b/gi;

/**
 * The issues of `repositoryFullName` that `text` (a pull request's title and body) references,
 * in order of first appearance: "closes" when any reference uses a closing keyword, "mentions"
 * otherwise. References to other repositories are left out (they are not this repository's issues);
 * at most PR_LINKED_ISSUES_MAX.
 */
export function issueReferences(text: string, repositoryFullName: string): IssueReference[] {
  const own = repositoryFullName.toLowerCase();
  const found = new Map<number, IssueReference>();
  for (const match of text.matchAll(REFERENCE)) {
    const [, keyword, owner, repo, digits] = match;
    if (owner && `${owner}/${repo}`.toLowerCase() !== own) continue;
    const number = Number(digits);
    if (number === 0) continue;
    const relation = keyword ? "closes" : "mentions";
    const known = found.get(number);
    if (known) {
      if (relation === "closes") known.relation = "closes";
    } else if (found.size < PR_LINKED_ISSUES_MAX) {
      found.set(number, { number, relation });
    }
  }
  return [...found.values()];
}

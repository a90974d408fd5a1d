/** Slack's mrkdwn treats &, < and > as markup; anything quoted from a document must not be. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

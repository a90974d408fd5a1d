// One escape for every Slack message DevFlow sends (notifications' DMs use it too).
export { escapeMrkdwn } from "@devflow/integrations";

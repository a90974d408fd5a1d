"use client";

import type { ConnectedSlackDto } from "@devflow/contracts";
import { Button } from "@devflow/web-ui";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { orgRequest } from "../../common/org-request";
import { CopyableValue } from "../provisioning/CopyableValue";
import provisioning from "../provisioning/provisioning.module.css";
import integrationStyles from "./integrations.module.css";

/**
 * Connects a Slack app: its signing secret (events and the /devflow slash command), and optionally
 * its bot token and a channel to hear about new and archived docs. Shows the Request URL to give Slack.
 */
export function SlackSection({ organizationId }: { organizationId: string }) {
  const router = useRouter();
  const [slackSecret, setSlackSecret] = useState("");
  const [slackBotToken, setSlackBotToken] = useState("");
  const [slackChannel, setSlackChannel] = useState("");
  const [slackUrl, setSlackUrl] = useState<string | null>(null);
  const [isConnectingSlack, setIsConnectingSlack] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function connectSlack(event: FormEvent) {
    event.preventDefault();
    setIsConnectingSlack(true);
    setError(null);
    const result = await orgRequest(organizationId, "POST", "/api/v1/integrations/slack", {
      body: {
        signingSecret: slackSecret.trim(),
        ...(slackBotToken.trim() && { botToken: slackBotToken.trim() }),
        ...(slackChannel.trim() && { notifyChannel: slackChannel.trim() }),
      },
      fallback: "Could not connect Slack",
    });
    if (result.ok) {
      setSlackUrl(((await result.response.json()) as ConnectedSlackDto).url);
      setSlackSecret("");
      setSlackBotToken("");
      setSlackChannel("");
      router.refresh();
    } else {
      setError(result.message);
    }
    setIsConnectingSlack(false);
  }

  return (
    <section className={provisioning.section} aria-labelledby="slack-heading">
      <div>
        <h2 className={provisioning.sectionTitle} id="slack-heading">
          Slack
        </h2>
        <p className={provisioning.sectionLead}>
          Paste your Slack app&apos;s signing secret (Basic Information → App Credentials), then give Slack the Request
          URL shown here under Event Subscriptions and as the Request URL of a <code>/devflow</code> slash command
          (people then ask <code>/devflow ask …</code>). To hear about new and archived docs in a channel, add the
          app&apos;s bot token (chat:write) and the channel&apos;s id. With the bot token and the users:read.email
          scope, people who choose Slack in their notification settings get direct messages, matched by email address.
        </p>
      </div>
      <form className={integrationStyles.slackForm} onSubmit={connectSlack} data-testid="connect-slack-form">
        <input
          className={provisioning.value}
          value={slackSecret}
          onChange={(event) => setSlackSecret(event.target.value)}
          aria-label="Slack signing secret"
          placeholder="Signing secret"
          spellCheck={false}
          autoComplete="off"
          data-testid="slack-signing-secret"
        />
        <input
          className={provisioning.value}
          value={slackBotToken}
          onChange={(event) => setSlackBotToken(event.target.value)}
          aria-label="Slack bot token (optional)"
          placeholder="Bot token, xoxb-… (optional)"
          type="password"
          spellCheck={false}
          autoComplete="off"
          data-testid="slack-bot-token"
        />
        <input
          className={provisioning.value}
          value={slackChannel}
          onChange={(event) => setSlackChannel(event.target.value)}
          aria-label="Channel for doc changes (optional)"
          placeholder="Channel id, C0123ABCD (optional)"
          spellCheck={false}
          autoComplete="off"
          data-testid="slack-channel"
        />
        <Button type="submit" isLoading={isConnectingSlack} disabled={slackSecret.trim() === ""}>
          Connect Slack
        </Button>
      </form>
      {error && (
        <p className={integrationStyles.formError} role="alert">
          {error}
        </p>
      )}
      {slackUrl && (
        <CopyableValue
          value={slackUrl}
          label="Slack Request URL"
          copyLabel="Copy Request URL"
          variant="primary"
          testId="slack-request-url"
        />
      )}
    </section>
  );
}

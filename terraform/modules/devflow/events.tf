# The worker's event handlers and the event catalog, as the app has them. Terraform makes a topic
# per event type, and per handler a push subscription, a dead-letter topic and a subscription on
# it; in push mode (PUBSUB_DELIVERY=push) the app creates none of them. Keep these lists in step
# with the code (infra/check/terraform.test.ts compares them):
#   event_types    = EVENT_TYPES of libs/contracts/src/events.ts
#   event_handlers = workerHandlers() in apps/worker/src/server.ts: name => type and retry policy
#                    (maxAttempts, baseDelaySeconds; expireInSeconds becomes the ack deadline)
locals {
  event_types = [
    "document.created",
    "document.archived",
    "file.uploaded",
    "webhook.received",
    "comment.created",
    "document.mentioned",
    "job.failed",
    "project.shared",
    "workflow.run_requested",
    "issue.opened",
  ]

  event_handlers = {
    "webhook-deliveries"               = { event_type = "webhook.received" }
    "notifications.comment-created"    = { event_type = "comment.created" }
    "notifications.document-mentioned" = { event_type = "document.mentioned" }
    "notifications.job-failed"         = { event_type = "job.failed" }
    "notifications.project-shared"     = { event_type = "project.shared" }
    "slack-doc-created"                = { event_type = "document.created" }
    "slack-doc-archived"               = { event_type = "document.archived" }
    "workflows.run-requested"          = { event_type = "workflow.run_requested", max_attempts = 12, base_delay_seconds = 5, ack_deadline_seconds = 180 }
    "file-processor"                   = { event_type = "file.uploaded" }
    "triage.issue-opened"              = { event_type = "issue.opened" }
  }
}

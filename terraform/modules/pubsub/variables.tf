variable "project_id" {
  description = "Project that holds the topics and subscriptions."
  type        = string
}

variable "project_number" {
  description = "The project's number, which names its Pub/Sub service agent."
  type        = string
}

variable "topic_prefix" {
  description = "Put before every topic name, as the app's PUBSUB_TOPIC_PREFIX (pubSubTopicName in libs/events)."
  type        = string
  default     = "devflow."

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9._~+%-]*$", var.topic_prefix))
    error_message = "topic_prefix must start with a letter and hold only letters, digits and . _ ~ + % -."
  }
}

variable "event_types" {
  description = "Every event type of the catalog (EVENT_CATALOG): each gets a topic, whether or not a handler consumes it."
  type        = list(string)
}

variable "handlers" {
  description = <<-EOT
    The worker's event handlers, by name (the subscription's name and the push path's last
    segment): the event type it consumes and its retry policy as the app declares it
    (maxAttempts, baseDelaySeconds), plus how long one push may take before Pub/Sub redelivers.
  EOT
  type = map(object({
    event_type           = string
    max_attempts         = optional(number, 5)
    base_delay_seconds   = optional(number, 5)
    ack_deadline_seconds = optional(number, 600)
  }))

  validation {
    condition     = alltrue([for name in keys(var.handlers) : can(regex("^[A-Za-z][A-Za-z0-9._~+%-]{2,199}$", name)) && !startswith(lower(name), "goog")])
    error_message = "Handler names must be valid subscription ids: 3-200 letters, digits and . _ ~ + % -, starting with a letter (not \"goog\")."
  }

  validation {
    condition     = alltrue([for handler in values(var.handlers) : handler.max_attempts >= 1 && handler.max_attempts <= 100 && handler.base_delay_seconds >= 0 && handler.base_delay_seconds <= 600 && handler.ack_deadline_seconds >= 10 && handler.ack_deadline_seconds <= 600])
    error_message = "max_attempts must be 1-100, base_delay_seconds 0-600 and ack_deadline_seconds 10-600."
  }
}

variable "push_endpoint" {
  description = "Where pushes go, without the handler: <worker url>/pubsub/push (each subscription appends /<handler>)."
  type        = string
}

variable "push_audience" {
  description = "The audience of the push OIDC tokens (the worker's PUBSUB_PUSH_AUDIENCE)."
  type        = string
}

variable "push_service_account_email" {
  description = "The service account Pub/Sub signs push tokens as (the worker's PUBSUB_PUSH_SERVICE_ACCOUNT)."
  type        = string
}

variable "publishers" {
  description = "IAM members that publish events, by a name known at plan time (web retries dead letters, the worker relays the outbox)."
  type        = map(string)
  default     = {}
}

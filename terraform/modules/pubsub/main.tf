locals {
  # Pub/Sub forwards dead letters, and signs push tokens, as this Google-managed account.
  service_agent = "serviceAccount:service-${var.project_number}@gcp-sa-pubsub.iam.gserviceaccount.com"

  # Pub/Sub's own bounds; the app dead-letters on its last attempt itself and Pub/Sub's policy
  # catches only what the worker could not file (see libs/events/src/pubsub-bus.ts).
  min_delivery_attempts = 5
  max_backoff           = "600s"

  # Keyed by names, not members: service account emails are unknown until they exist.
  publisher_grants = {
    for pair in setproduct(var.event_types, keys(var.publishers)) : "${pair[0]} ${pair[1]}" => {
      event_type = pair[0]
      member     = var.publishers[pair[1]]
    }
  }
}

# Names as libs/events names them: pubSubTopicName, pubSubDeadLetterTopicName and
# pubSubDeadLetterSubscriptionName; a subscription is named after its handler.
resource "google_pubsub_topic" "event" {
  for_each = toset(var.event_types)

  project = var.project_id
  name    = "${var.topic_prefix}${each.key}"
}

resource "google_pubsub_topic" "dead_letter" {
  for_each = var.handlers

  project = var.project_id
  name    = "${var.topic_prefix}dead-letters.${each.key}"
}

resource "google_pubsub_subscription" "handler" {
  for_each = var.handlers

  project              = var.project_id
  name                 = each.key
  topic                = google_pubsub_topic.event[each.value.event_type].id
  ack_deadline_seconds = each.value.ack_deadline_seconds
  # An admin's retry of a dead letter is published with a `handler` attribute: it reaches only
  # that handler's subscription (the app checks the attribute too).
  filter = "attributes.handler = \"${each.key}\" OR NOT attributes:handler"

  push_config {
    push_endpoint = "${var.push_endpoint}/${each.key}"

    oidc_token {
      service_account_email = var.push_service_account_email
      audience              = var.push_audience
    }
  }

  # Pub/Sub counts deliveryAttempt only on a subscription with a dead-letter policy, and the app
  # needs that count; the minimum backoff is the handler's first retry delay.
  retry_policy {
    minimum_backoff = "${each.value.base_delay_seconds}s"
    maximum_backoff = local.max_backoff
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter[each.key].id
    max_delivery_attempts = max(local.min_delivery_attempts, each.value.max_attempts)
  }

  # A subscription with no traffic for 31 days would otherwise be deleted.
  expiration_policy {
    ttl = ""
  }
}

# What Pub/Sub forwarded is pushed to the same endpoint, which files it as a dead letter (it
# carries CloudPubSubDeadLetterSource* attributes). No dead-letter policy here: a filing that
# fails is retried until it succeeds.
resource "google_pubsub_subscription" "dead_letter" {
  for_each = var.handlers

  project              = var.project_id
  name                 = "${each.key}.dead-letters"
  topic                = google_pubsub_topic.dead_letter[each.key].id
  ack_deadline_seconds = 60

  push_config {
    push_endpoint = "${var.push_endpoint}/${each.key}"

    oidc_token {
      service_account_email = var.push_service_account_email
      audience              = var.push_audience
    }
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = local.max_backoff
  }

  expiration_policy {
    ttl = ""
  }
}

# Dead-lettering needs the service agent to publish to the dead-letter topic and to acknowledge
# on the source subscription.
resource "google_pubsub_topic_iam_member" "service_agent_dead_letter_publisher" {
  for_each = var.handlers

  project = var.project_id
  topic   = google_pubsub_topic.dead_letter[each.key].name
  role    = "roles/pubsub.publisher"
  member  = local.service_agent
}

resource "google_pubsub_subscription_iam_member" "service_agent_subscriber" {
  for_each = var.handlers

  project      = var.project_id
  subscription = google_pubsub_subscription.handler[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = local.service_agent
}

# Pub/Sub mints the push OIDC tokens as the push service account.
resource "google_service_account_iam_member" "service_agent_token_creator" {
  service_account_id = "projects/${var.project_id}/serviceAccounts/${var.push_service_account_email}"
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.service_agent
}

# Publishers check that the topic exists before publishing (topics.get), hence viewer as well.
resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = local.publisher_grants

  project = var.project_id
  topic   = google_pubsub_topic.event[each.value.event_type].name
  role    = "roles/pubsub.publisher"
  member  = each.value.member
}

resource "google_pubsub_topic_iam_member" "publisher_viewer" {
  for_each = local.publisher_grants

  project = var.project_id
  topic   = google_pubsub_topic.event[each.value.event_type].name
  role    = "roles/pubsub.viewer"
  member  = each.value.member
}

output "topics" {
  description = "Event type => topic name."
  value       = { for type, topic in google_pubsub_topic.event : type => topic.name }
}

output "subscriptions" {
  description = "Handler => push subscription name."
  value       = { for name, subscription in google_pubsub_subscription.handler : name => subscription.name }
}

output "dead_letter_topics" {
  description = "Handler => dead-letter topic name."
  value       = { for name, topic in google_pubsub_topic.dead_letter : name => topic.name }
}

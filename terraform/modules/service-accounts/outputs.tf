output "emails" {
  description = "Account (web, worker, collab, ai, migrate, pubsub-push, gke-nodes) => email."
  value       = { for key, account in google_service_account.this : key => account.email }
}

output "members" {
  description = "Account => IAM member string (serviceAccount:<email>)."
  value       = { for key, account in google_service_account.this : key => account.member }
}

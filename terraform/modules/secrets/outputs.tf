# Waits for every version and grant: a Cloud Run revision that names a secret it cannot read,
# or one without a version, fails to start.
output "ids" {
  description = "Secret name => secret id (what Cloud Run's secret_key_ref takes)."
  value       = { for name, secret in google_secret_manager_secret.this : name => secret.secret_id }
  depends_on = [
    google_secret_manager_secret_version.generated,
    google_secret_manager_secret_version.operator,
    google_secret_manager_secret_iam_member.accessor,
  ]
}

output "secret_prefix" {
  description = "projects/<project>/secrets/<name_prefix>-: prefix of every secret's resource name (GKE SecretProviderClass)."
  value       = "projects/${var.project_id}/secrets/${var.name_prefix}-"
}

output "operator_secrets" {
  description = "Names of the secrets operators fill in."
  value       = local.operator_names
}

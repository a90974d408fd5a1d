variable "project_id" {
  description = "Project that holds the service accounts."
  type        = string
}

variable "name_prefix" {
  description = "Account ids are <name_prefix>-<account>, e.g. devflow-production-web (at most 30 characters)."
  type        = string
}

variable "workload_identity_pool" {
  description = "The GKE cluster's Workload Identity pool, <project>.svc.id.goog."
  type        = string
}

variable "kubernetes_namespace" {
  description = "Namespace of the Kubernetes service accounts bound to Google service accounts."
  type        = string
  default     = "devflow"
}

variable "project_id" {
  description = "Project that holds the job."
  type        = string
}

variable "region" {
  description = "Region of the job."
  type        = string
}

variable "name" {
  description = "Job name, e.g. devflow-production-migrate."
  type        = string
}

variable "image" {
  description = "Container image, <region>-docker.pkg.dev/<project>/devflow/<app>:<tag>."
  type        = string
}

variable "command" {
  description = "The command the task runs (overrides the image's entrypoint)."
  type        = list(string)
}

variable "service_account_email" {
  description = "The service account the job runs as."
  type        = string
}

variable "env" {
  description = "Plain environment variables: name => value."
  type        = map(string)
  default     = {}
}

variable "secret_env" {
  description = "Environment variables read from Secret Manager: name => secret id (latest version at each execution)."
  type        = map(string)
  default     = {}
}

variable "vpc_network" {
  description = "VPC network for Direct VPC egress (Cloud SQL's private IP)."
  type        = string
}

variable "vpc_subnetwork" {
  description = "Subnet Direct VPC egress takes addresses from."
  type        = string
}

variable "cpu" {
  description = "CPU limit of the task."
  type        = string
  default     = "1"
}

variable "memory" {
  description = "Memory limit of the task."
  type        = string
  default     = "512Mi"
}

variable "timeout_seconds" {
  description = "Longest one attempt may run."
  type        = number
  default     = 1800
}

variable "max_retries" {
  description = "Attempts after a failed one (migrations are transactional, so retrying is safe)."
  type        = number
  default     = 1
}

variable "deletion_protection" {
  description = "Refuse to destroy the job through Terraform."
  type        = bool
  default     = true
}

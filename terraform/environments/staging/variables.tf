variable "project_id" {
  description = "The Google Cloud project of this environment (its own project: names of Pub/Sub subscriptions carry no environment)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project id (6-30 lowercase letters, digits and dashes)."
  }
}

variable "region" {
  description = "Region of every regional resource."
  type        = string
  default     = "us-central1"
}

variable "domain" {
  description = "Base domain: web at app.<domain>, collab at collab.<domain>, ai at ai.<domain>."
  type        = string
}

variable "image_tag" {
  description = "Image tag of web and worker (and the migration job) to run; CI pushes it before applying."
  type        = string
}

variable "gke_master_authorized_networks" {
  description = "CIDR blocks allowed to reach the GKE control plane (CI runners, operators)."
  type = list(object({
    cidr_block   = string
    display_name = string
  }))
  default = []
}

variable "log_level" {
  description = "LOG_LEVEL of every app."
  type        = string
  default     = "info"
}

variable "mail_from" {
  description = "MAIL_FROM; empty: DevFlow <no-reply@<domain>>."
  type        = string
  default     = ""
}

variable "github_client_id" {
  description = "GITHUB_CLIENT_ID of the GitHub OAuth app; empty: no GitHub sign-in."
  type        = string
  default     = ""
}

variable "ai_chat_provider" {
  description = "AI_CHAT_PROVIDER: extractive, openai, anthropic, google or openai-compatible."
  type        = string
  default     = "extractive"
}

variable "ai_chat_model" {
  description = "AI_CHAT_MODEL; empty: unset."
  type        = string
  default     = ""
}

variable "ai_embeddings_provider" {
  description = "AI_EMBEDDINGS_PROVIDER: offline, openai, google or openai-compatible."
  type        = string
  default     = "offline"
}

variable "ai_embeddings_model" {
  description = "AI_EMBEDDINGS_MODEL; empty: unset."
  type        = string
  default     = ""
}

variable "ai_vector_store" {
  description = "AI_VECTOR_STORE: pgvector or pinecone."
  type        = string
  default     = "pgvector"
}

variable "pinecone_index_host" {
  description = "PINECONE_INDEX_HOST; empty: unset."
  type        = string
  default     = ""
}

variable "clamav_host" {
  description = "CLAMAV_HOST: a clamd reachable from the VPC; empty: uploads are not virus-scanned."
  type        = string
  default     = ""
}

variable "web_security_policy" {
  description = "Cloud Armor policy for the web load balancer; null for none."
  type        = string
  default     = null
}

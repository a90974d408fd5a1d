variable "project_id" {
  description = "The Google Cloud project of this environment (one project per environment: subscription names carry no environment)."
  type        = string
}

variable "region" {
  description = "Region of every regional resource (Cloud Run, GKE, Cloud SQL, Memorystore, Artifact Registry)."
  type        = string
}

variable "environment" {
  description = "Environment name (staging, production): part of every resource name, devflow-<environment>-…."
  type        = string

  validation {
    # Service account ids (devflow-<environment>-pubsub-push) allow at most 30 characters.
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.environment))
    error_message = "environment must be 2-10 lowercase letters and digits, starting with a letter."
  }
}

variable "domain" {
  description = "Base domain: web is app.<domain>, collab collab.<domain>, ai ai.<domain>."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain))
    error_message = "domain must be a lowercase DNS name such as devflow.example.com."
  }
}

variable "image_tag" {
  description = "Tag of the web and worker images (and the migration job's) to run."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "image_tag must be a valid image tag."
  }
}

variable "deletion_protection" {
  description = "Protect the cluster, the database and the Cloud Run services and job from deletion."
  type        = bool
  default     = true
}

variable "network_cidrs" {
  description = "Address ranges of the VPC: GKE nodes, pods and Services, Cloud Run's egress subnet, Private Service Access."
  type = object({
    subnet           = optional(string, "10.0.0.0/20")
    pods             = optional(string, "10.4.0.0/14")
    services         = optional(string, "10.8.0.0/20")
    serverless       = optional(string, "10.9.0.0/24")
    private_services = optional(string, "10.10.0.0/16")
  })
  default = {}
}

variable "gke_release_channel" {
  description = "GKE release channel: RAPID, REGULAR or STABLE."
  type        = string
  default     = "REGULAR"
}

variable "gke_master_authorized_networks" {
  description = "CIDR blocks allowed to reach the GKE control plane's public endpoint."
  type = list(object({
    cidr_block   = string
    display_name = string
  }))
  default = []
}

variable "database_tier" {
  description = "Cloud SQL machine tier (Enterprise edition), e.g. db-custom-2-7680."
  type        = string
}

variable "database_high_availability" {
  description = "Run Cloud SQL with a standby in a second zone (REGIONAL availability)."
  type        = bool
}

variable "database_disk_size_gb" {
  description = "Initial Cloud SQL disk size; it grows automatically."
  type        = number
  default     = 20
}

variable "database_backup_retention_count" {
  description = "Daily Cloud SQL backups kept."
  type        = number
  default     = 14
}

variable "database_flags" {
  description = "PostgreSQL flags over the module's defaults (max_connections must cover every instance's pool)."
  type        = map(string)
  default     = {}
}

variable "redis_tier" {
  description = "Memorystore tier: BASIC or STANDARD_HA."
  type        = string
}

variable "redis_memory_size_gb" {
  description = "Memorystore memory in GiB."
  type        = number
  default     = 1
}

variable "web_service" {
  description = "Sizing of the web Cloud Run service."
  type = object({
    min_instances = optional(number, 0)
    max_instances = optional(number, 10)
    cpu           = optional(string, "1")
    memory        = optional(string, "1Gi")
    concurrency   = optional(number, 80)
  })
  default = {}
}

variable "worker_service" {
  description = "Sizing of the worker Cloud Run service (its CPU stays allocated: the outbox relay runs between requests)."
  type = object({
    min_instances = optional(number, 1)
    max_instances = optional(number, 5)
    cpu           = optional(string, "1")
    memory        = optional(string, "1Gi")
    concurrency   = optional(number, 20)
  })
  default = {}

  validation {
    condition     = var.worker_service.min_instances >= 1
    error_message = "worker_service.min_instances must be at least 1: the outbox relay and scheduled jobs run in the worker."
  }
}

variable "collab_replicas" {
  description = "Replica bounds of the collab Deployment's autoscaler (rendered into the Kubernetes manifests)."
  type = object({
    min = number
    max = number
  })

  validation {
    condition     = var.collab_replicas.min >= 1 && var.collab_replicas.max >= var.collab_replicas.min
    error_message = "collab_replicas needs 1 <= min <= max."
  }
}

variable "ai_replicas" {
  description = "Replica bounds of the ai Deployment's autoscaler (rendered into the Kubernetes manifests)."
  type = object({
    min = number
    max = number
  })

  validation {
    condition     = var.ai_replicas.min >= 1 && var.ai_replicas.max >= var.ai_replicas.min
    error_message = "ai_replicas needs 1 <= min <= max."
  }
}

variable "artifact_immutable_tags" {
  description = "Refuse to move an image tag once pushed."
  type        = bool
  default     = false
}

variable "uploads_bucket_name" {
  description = "Name of the uploads bucket; empty: <project>-devflow-<environment>-uploads."
  type        = string
  default     = ""
}

variable "uploads_bucket_location" {
  description = "Location of the uploads bucket; empty: the region."
  type        = string
  default     = ""
}

variable "uploads_noncurrent_retention_days" {
  description = "Days a replaced or deleted upload's previous version is kept."
  type        = number
  default     = 30
}

variable "web_security_policy" {
  description = "Cloud Armor policy for the web load balancer's backend; null for none."
  type        = string
  default     = null
}

variable "log_level" {
  description = "LOG_LEVEL of every app."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["fatal", "error", "warn", "info", "debug", "trace", "silent"], var.log_level)
    error_message = "log_level must be fatal, error, warn, info, debug, trace or silent."
  }
}

variable "database_pool_max" {
  description = "DATABASE_POOL_MAX of web and worker: connections per instance."
  type        = number
  default     = 10

  validation {
    condition     = var.database_pool_max >= 1 && var.database_pool_max <= 100
    error_message = "database_pool_max must be from 1 to 100."
  }
}

variable "pubsub_topic_prefix" {
  description = "PUBSUB_TOPIC_PREFIX: put before every topic name."
  type        = string
  default     = "devflow."
}

variable "mail_from" {
  description = "MAIL_FROM of web and worker; empty: DevFlow <no-reply@<domain>>."
  type        = string
  default     = ""
}

variable "github_client_id" {
  description = "GITHUB_CLIENT_ID of the GitHub OAuth app (its secret goes in the github-client-secret secret); empty: no GitHub sign-in."
  type        = string
  default     = ""
}

variable "ai_chat_provider" {
  description = "AI_CHAT_PROVIDER: extractive (no model), openai, anthropic, google or openai-compatible."
  type        = string
  default     = "extractive"

  validation {
    condition     = contains(["extractive", "openai", "anthropic", "google", "openai-compatible"], var.ai_chat_provider)
    error_message = "ai_chat_provider must be extractive, openai, anthropic, google or openai-compatible."
  }
}

variable "ai_chat_model" {
  description = "AI_CHAT_MODEL; empty: unset (required by every provider but extractive)."
  type        = string
  default     = ""
}

variable "ai_embeddings_provider" {
  description = "AI_EMBEDDINGS_PROVIDER: offline, openai, google or openai-compatible."
  type        = string
  default     = "offline"

  validation {
    condition     = contains(["offline", "openai", "google", "openai-compatible"], var.ai_embeddings_provider)
    error_message = "ai_embeddings_provider must be offline, openai, google or openai-compatible."
  }
}

variable "ai_embeddings_model" {
  description = "AI_EMBEDDINGS_MODEL; empty: unset (required by every provider but offline)."
  type        = string
  default     = ""
}

variable "ai_vector_store" {
  description = "AI_VECTOR_STORE: pgvector (Cloud SQL) or pinecone."
  type        = string
  default     = "pgvector"

  validation {
    condition     = contains(["pgvector", "pinecone"], var.ai_vector_store)
    error_message = "ai_vector_store must be pgvector or pinecone."
  }
}

variable "pinecone_index_host" {
  description = "PINECONE_INDEX_HOST; empty: unset (required with ai_vector_store = pinecone)."
  type        = string
  default     = ""
}

variable "clamav_host" {
  description = "CLAMAV_HOST: a clamd the worker reaches over the VPC (port 3310); empty: uploads are processed without a virus scan."
  type        = string
  default     = ""
}

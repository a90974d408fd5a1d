variable "project_id" {
  description = "Project that holds the bucket."
  type        = string
}

variable "name" {
  description = "Globally unique bucket name."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", var.name))
    error_message = "name must be a valid bucket name: 3-63 lowercase letters, digits, dots, dashes and underscores."
  }
}

variable "location" {
  description = "Bucket location: the region, or a multi/dual-region such as EU."
  type        = string
}

variable "noncurrent_version_retention_days" {
  description = "Days an overwritten or deleted upload's previous version is kept before it is deleted."
  type        = number
  default     = 30
}

variable "object_users" {
  description = "IAM members that read, write and delete objects, by a name known at plan time (web stores uploads; the worker reads them and deletes infected ones)."
  type        = map(string)
  default     = {}
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete a bucket that still holds objects."
  type        = bool
  default     = false
}

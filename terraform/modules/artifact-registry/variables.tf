variable "project_id" {
  description = "Project that holds the repository."
  type        = string
}

variable "region" {
  description = "Location of the repository (images are <region>-docker.pkg.dev/<project>/devflow/<app>:<tag>)."
  type        = string
}

variable "immutable_tags" {
  description = "Refuse to move a tag to another image once pushed."
  type        = bool
  default     = false
}

variable "keep_recent_versions" {
  description = "Image versions per app kept however old they are; older untagged ones are cleaned up."
  type        = number
  default     = 20
}

variable "readers" {
  description = "IAM members that pull images, by a name known at plan time (the GKE nodes)."
  type        = map(string)
  default     = {}
}

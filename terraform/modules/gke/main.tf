# Autopilot rather than Standard: collab and ai are two stateless Deployments, so per-pod billing
# and Google-managed nodes (sized, scaled, upgraded and hardened by GKE) cost less to run than node
# pools we would size ourselves. Workload Identity and Shielded Nodes are always on in Autopilot.
resource "google_container_cluster" "this" {
  project             = var.project_id
  name                = var.name
  location            = var.region
  enable_autopilot    = true
  network             = var.network_id
  subnetwork          = var.subnet_name
  min_master_version  = var.min_master_version
  deletion_protection = var.deletion_protection

  ip_allocation_policy {
    cluster_secondary_range_name  = var.pods_range_name
    services_secondary_range_name = var.services_range_name
  }

  # Nodes have no external IPs (egress through Cloud NAT); the control plane keeps a public
  # endpoint, limited to master_authorized_networks.
  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = false

    master_global_access_config {
      enabled = true
    }
  }

  master_authorized_networks_config {
    gcp_public_cidrs_access_enabled = false

    dynamic "cidr_blocks" {
      for_each = var.master_authorized_networks
      content {
        cidr_block   = cidr_blocks.value.cidr_block
        display_name = cidr_blocks.value.display_name
      }
    }
  }

  release_channel {
    channel = var.release_channel
  }

  workload_identity_config {
    workload_pool = "${var.project_id}.svc.id.goog"
  }

  # The Secret Manager add-on: the secrets-store-gke.csi.k8s.io CSI driver that mounts the
  # apps' secrets as files (SecretProviderClass with provider "gke").
  secret_manager_config {
    enabled = true
  }

  # Managed Prometheus scrapes /metrics (PodMonitoring), which also feeds collab's autoscaling
  # on devflow_collab_connections.
  monitoring_config {
    managed_prometheus {
      enabled = true
    }
  }

  # Autopilot manages the nodes; this only says which service account they run as, instead of
  # the Compute Engine default account (Editor on the project).
  cluster_autoscaling {
    auto_provisioning_defaults {
      service_account = var.node_service_account_email
      oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
    }
  }

  maintenance_policy {
    recurring_window {
      start_time = var.maintenance_start_time
      end_time   = timeadd(var.maintenance_start_time, "6h")
      recurrence = "FREQ=WEEKLY;BYDAY=SA,SU"
    }
  }
}

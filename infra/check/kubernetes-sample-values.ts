/**
 * What `terraform output -json k8s_values` prints for a production environment, one realistic value
 * per key of the deployment contract (and nothing else), plus the IMAGE_TAG the deploy passes with
 * --tag. Rendering with exactly these keys makes any placeholder outside the contract an error.
 * Numbers are strings, as terraform renders them.
 */
export const SAMPLE_K8S_VALUES = {
  PROJECT_ID: "devflow-prod-381204",
  REGION: "europe-west1",
  ENVIRONMENT: "production",
  IMAGE_REGISTRY: "europe-west1-docker.pkg.dev/devflow-prod-381204/devflow",
  COLLAB_GSA: "devflow-production-collab@devflow-prod-381204.iam.gserviceaccount.com",
  AI_GSA: "devflow-production-ai@devflow-prod-381204.iam.gserviceaccount.com",
  COLLAB_HOST: "collab.devflow.example.com",
  AI_HOST: "ai.devflow.example.com",
  COLLAB_STATIC_IP: "devflow-production-collab",
  AI_STATIC_IP: "devflow-production-ai",
  PUBLIC_URL: "https://app.devflow.example.com",
  AI_PUBLIC_URL: "https://ai.devflow.example.com",
  SERVICE_TOKEN_JWKS_URL: "https://app.devflow.example.com/.well-known/jwks.json",
  WEB_INTERNAL_URL: "https://devflow-production-web-482910375512.europe-west1.run.app",
  SECRET_PREFIX: "projects/devflow-prod-381204/secrets/devflow-production-",
  COLLAB_MIN_REPLICAS: "2",
  COLLAB_MAX_REPLICAS: "20",
  AI_MIN_REPLICAS: "2",
  AI_MAX_REPLICAS: "10",
  AI_CHAT_PROVIDER: "anthropic",
  AI_CHAT_MODEL: "claude-sonnet-4-6",
  AI_EMBEDDINGS_PROVIDER: "openai",
  AI_EMBEDDINGS_MODEL: "text-embedding-3-small",
  AI_VECTOR_STORE: "pgvector",
  PINECONE_INDEX_HOST: "",
} as const;

export const SAMPLE_IMAGE_TAG = "2026.05.14-3f9c2ab";

// Test doubles and fixtures for @devflow/ai-rag (never exported from the lib's main entry).
// The fakes stand in for hosted services this machine cannot reach; each speaks the provider's
// documented wire format so the real SDKs are exercised against them.
export { startFakeGeminiEmbeddings, geminiError } from "./fake-gemini-embeddings";
export type { FakeGeminiEmbeddingsOptions } from "./fake-gemini-embeddings";
export { startFakeOpenAIEmbeddings, openAIError } from "./fake-openai-embeddings";
export type { FakeOpenAIEmbeddings, FakeOpenAIEmbeddingsOptions } from "./fake-openai-embeddings";
export { startFakePinecone } from "./fake-pinecone";
export type { FakePinecone, FakePineconeOptions, FakePineconeRecord } from "./fake-pinecone";
export { ageDocument, editDocument, readCorpus } from "./fixtures";
export { fakeEmbedding, startLoopbackServer } from "./loopback-server";
export type { LoopbackReply, LoopbackRequest, LoopbackServer } from "./loopback-server";

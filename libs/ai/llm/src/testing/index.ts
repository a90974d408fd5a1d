export { collectTurn, type CollectedTurn } from "./collect";
export { anthropicReplies, startFakeAnthropic, type FakeAnthropicOptions } from "./fake-anthropic";
export { googleReplies, startFakeGoogle, type FakeGoogleOptions } from "./fake-google";
export { openAiReplies, startFakeOpenAi, type FakeOpenAiOptions, type FakeProvider } from "./fake-openai";
export {
  startLoopbackServer,
  type LoopbackServer,
  type RecordedRequest,
  type RequestCheck,
  type ScriptedReply,
} from "./loopback-server";

import { parentPort } from "node:worker_threads";
import { type CheckReply, type CheckRequest, checkSource } from "./survey-check.server";

/**
 * The worker thread that checks questionnaire text for requests (see survey-check.server.ts):
 * one check at a time, each answered with its result.
 */
const port = parentPort;
if (!port) throw new Error("survey-check.worker runs as a worker thread");

port.on("message", (request: CheckRequest) => {
  let reply: CheckReply;
  try {
    reply = { result: checkSource(request.text, request.fileName, request.blocksDir) };
  } catch (error) {
    reply = { error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies CheckReply);

import {
  BadRequestError,
  type BatchItemResult,
  type BatchPart,
  createOp,
  NotExecutedError,
} from "../../../server/src/dataverse/client";
import { parseBatchResponse } from "../../../server/src/dataverse/client/batch";
import { clientFor, type LocalServer, startServer } from "./localServer";

/**
 * Reading batch responses as Dataverse writes them: the error-handling examples of
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api#handling-errors
 * (with and without `Prefer: odata.continue-on-error`), and a failed change set as reported in
 * https://github.com/MicrosoftDocs/powerapps-docs/issues/2843 (only the failing item is answered).
 */

const servers: LocalServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

const crlf = (text: string) => text.replace(/\r?\n/g, "\r\n");
const SUBJECT_TOO_LONG = JSON.stringify({
  error: {
    code: "0x80044331",
    message:
      "A validation error occurred.  The length of the 'subject' attribute of the 'task' entity exceeded the maximum allowed length of '200'.",
  },
});

function httpPart(boundary: string, lines: string[], contentId?: string): string {
  const id = contentId ? `Content-ID: ${contentId}\n` : "";
  return `--${boundary}\nContent-Type: application/http\nContent-Transfer-Encoding: binary\n${id}\n${lines.join("\n")}\n`;
}

const validationError = (boundary: string, reqId: string, contentId?: string) =>
  httpPart(
    boundary,
    [
      "HTTP/1.1 400 Bad Request",
      `REQ_ID: ${reqId}`,
      "Content-Type: application/json; odata.metadata=minimal",
      "OData-Version: 4.0",
      "",
      SUBJECT_TOO_LONG,
    ],
    contentId,
  );

const created = (boundary: string, root: string, id: string, contentId?: string) =>
  httpPart(
    boundary,
    [
      "HTTP/1.1 204 No Content",
      "OData-Version: 4.0",
      `Location: ${root}/tasks(${id})`,
      `OData-EntityId: ${root}/tasks(${id})`,
      "",
    ],
    contentId,
  );

const tasks = [1, 2, 3].map((n) => createOp("tasks", { subject: `Task ${n} in batch` }));

/** A server answering every batch with `body` and `status`; the client's results for `parts`. */
async function run(
  status: number,
  body: (apiRoot: string) => string,
  parts: readonly BatchPart[],
  continueOnError: boolean,
): Promise<{ results: BatchItemResult[]; server: LocalServer }> {
  const server = await startServer((_, res) => {
    res.writeHead(status, {
      "Content-Type": "multipart/mixed; boundary=batchresponse_x",
      "OData-Version": "4.0",
    });
    res.end(crlf(body(server.apiRoot)));
  });
  servers.push(server);
  const { client } = clientFor(server);
  return { results: await client.executeBatch(parts, { continueOnError }), server };
}

describe("batch responses from the documentation", () => {
  test("continue-on-error: the failed item carries its typed error and request id, the others their ids", async () => {
    const { results, server } = await run(
      200,
      (root) =>
        validationError("batchresponse_x", "de4c5227-4a28-4ebd-8ced-3392ece1697b") +
        created("batchresponse_x", root, "aed2ae8b-3c94-ed11-aad1-000d3a9933c9") +
        created("batchresponse_x", root, "b181a991-3c94-ed11-aad1-000d3a9933c9") +
        "--batchresponse_x--\n",
      tasks,
      true,
    );
    expect(server.requests[0]?.headers["prefer"]).toBe("odata.continue-on-error");
    const [first, second, third] = results;
    expect(first?.ok).toBe(false);
    expect(first?.status).toBe(400);
    expect(first?.error).toBeInstanceOf(BadRequestError);
    expect(first?.error).toMatchObject({
      code: "0x80044331",
      requestId: "de4c5227-4a28-4ebd-8ced-3392ece1697b",
      method: "POST",
      path: "/api/data/v9.2/tasks",
    });
    expect(first?.error?.message).toBe(
      "Dataverse POST /api/data/v9.2/tasks failed: HTTP 400 0x80044331 (request de4c5227-4a28-4ebd-8ced-3392ece1697b)",
    );
    expect([second?.id, third?.id]).toEqual([
      "aed2ae8b-3c94-ed11-aad1-000d3a9933c9",
      "b181a991-3c94-ed11-aad1-000d3a9933c9",
    ]);
  });

  test("without continue-on-error Dataverse answers 400 with the first failure only: the rest were not run", async () => {
    const { results } = await run(
      400,
      () =>
        validationError("batchresponse_x", "5ecd1cb3-1730-4ffc-909c-d44c22270026") + "--batchresponse_x--\n",
      tasks,
      false,
    );
    expect(results.map((r) => [r.index, r.status, r.error?.constructor])).toEqual([
      [0, 400, BadRequestError],
      [1, 0, NotExecutedError],
      [2, 0, NotExecutedError],
    ]);
    expect(results[0]?.error?.requestId).toBe("5ecd1cb3-1730-4ffc-909c-d44c22270026");
  });

  test("the answers before a failure are kept when Dataverse stops there", async () => {
    const { results } = await run(
      400,
      (root) =>
        created("batchresponse_x", root, "aed2ae8b-3c94-ed11-aad1-000d3a9933c9") +
        validationError("batchresponse_x", "5ecd1cb3-1730-4ffc-909c-d44c22270026") +
        "--batchresponse_x--\n",
      tasks,
      false,
    );
    expect(results.map((r) => [r.ok, r.status, r.id])).toEqual([
      [true, 204, "aed2ae8b-3c94-ed11-aad1-000d3a9933c9"],
      [false, 400, undefined],
      [false, 0, undefined],
    ]);
  });

  test("a failed change set answers for its failing item; its other items are reported rolled back", async () => {
    const { results } = await run(
      400,
      () =>
        "--batchresponse_x\nContent-Type: multipart/mixed; boundary=changesetresponse_y\n\n" +
        validationError("changesetresponse_y", "cbd53703-aee5-4563-a416-a65dcc268e7b", "3") +
        "--changesetresponse_y--\n--batchresponse_x--\n",
      [{ changeSet: tasks }, createOp("tasks", { subject: "after" })],
      false,
    );
    expect(results.map((r) => [r.index, r.status, r.error?.kind])).toEqual([
      [0, 0, "NotExecuted"],
      [1, 0, "NotExecuted"],
      [2, 400, "BadRequest"],
      [3, 0, "NotExecuted"],
    ]);
    expect(results[0]?.error?.serverMessage).toBe("not run: its change set was rolled back");
    expect(results[3]?.error?.serverMessage).toBe("not run: an earlier operation failed");
  });

  test("the documented response with bare LF line ends still parses", () => {
    const text =
      "--batchresponse_x\nContent-Type: application/http\nContent-Transfer-Encoding: binary\n\n" +
      "HTTP/1.1 204 No Content\nOData-Version: 4.0\nLocation:[Organization Uri]/api/data/v9.2/tasks(d31ba648-c592-ed11-aad1-000d3a993550)\n" +
      "OData-EntityId:[Organization Uri]/api/data/v9.2/tasks(d31ba648-c592-ed11-aad1-000d3a993550)\n\n\n--batchresponse_x--\n";
    const [entry] = parseBatchResponse("multipart/mixed; boundary=batchresponse_x", text);
    expect(entry).toEqual({
      kind: "single",
      response: {
        status: 204,
        headers: {
          "odata-version": "4.0",
          location: "[Organization Uri]/api/data/v9.2/tasks(d31ba648-c592-ed11-aad1-000d3a993550)",
          "odata-entityid": "[Organization Uri]/api/data/v9.2/tasks(d31ba648-c592-ed11-aad1-000d3a993550)",
        },
        body: undefined,
        contentId: undefined,
      },
    });
  });
});

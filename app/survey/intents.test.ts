import { describe, expect, it } from "vitest";
import { everyType } from "~/survey/__fixtures__/every-type";
import { findQuestion } from "~/survey/schema";
import {
  applyRankMove,
  filledNeedSlots,
  moveInOrder,
  parseIntent,
  rankOrder,
  removeNeedSlot,
} from "./intents";

const priorities = findQuestion(everyType, "priorities") as Extract<
  ReturnType<typeof findQuestion>,
  { type: "ranking" }
>;

describe("parseIntent", () => {
  it("reads every button of a page", () => {
    expect(parseIntent("next")).toEqual({ kind: "next" });
    expect(parseIntent("review")).toEqual({ kind: "review" });
    expect(parseIntent("back")).toEqual({ kind: "back" });
    expect(parseIntent("save")).toEqual({ kind: "save" });
    expect(parseIntent("autosave")).toEqual({ kind: "autosave" });
    expect(parseIntent("lang:ru")).toEqual({ kind: "lang", locale: "ru" });
    expect(parseIntent("need:add:needs")).toEqual({ kind: "need:add", key: "needs" });
    expect(parseIntent("need:remove:needs:12")).toEqual({
      kind: "need:remove",
      key: "needs",
      slot: 12,
    });
    expect(parseIntent("rank:down:priorities:data")).toEqual({
      kind: "rank",
      key: "priorities",
      item: "data",
      direction: "down",
    });
  });

  it("refuses anything else", () => {
    for (const bad of [
      null,
      undefined,
      3,
      "",
      "NEXT",
      "lang:rus",
      "need:add:",
      "need:remove:needs:x",
      "rank:left:a:b",
      "need:add:Bad-Key",
      "submit",
    ]) {
      expect(parseIntent(bad)).toBeNull();
    }
  });
});

describe("need slots", () => {
  const fields = {
    "q.needs.0.id": ["n1"],
    "q.needs.0.title": ["A"],
    "q.needs.1.id": ["n2"],
    "q.needs.2.title": ["  "],
    "q.needs.4.urgency": ["3"],
    "q.other.0.title": ["x"],
  };

  it("lists the slots holding a value (an id alone does not count)", () => {
    expect(filledNeedSlots("needs", fields)).toEqual([0, 4]);
    expect(filledNeedSlots("other", fields)).toEqual([0]);
    expect(filledNeedSlots("none", fields)).toEqual([]);
  });

  it("removes one slot's fields only", () => {
    expect(removeNeedSlot("needs", 0, fields)).toEqual({
      "q.needs.1.id": ["n2"],
      "q.needs.2.title": ["  "],
      "q.needs.4.urgency": ["3"],
      "q.other.0.title": ["x"],
    });
  });
});

describe("ranking moves", () => {
  it("orders items by rank, unranked ones last in question order", () => {
    const ranks: Record<string, string> = { funding: "", access: "2", data: "1" };
    expect(rankOrder(["funding", "access", "data"], (c) => ranks[c])).toEqual([
      "data",
      "access",
      "funding",
    ]);
  });

  it("moves within bounds", () => {
    expect(moveInOrder(["a", "b", "c"], "b", "up")).toEqual(["b", "a", "c"]);
    expect(moveInOrder(["a", "b", "c"], "a", "up")).toEqual(["a", "b", "c"]);
    expect(moveInOrder(["a", "b", "c"], "c", "down")).toEqual(["a", "b", "c"]);
    expect(moveInOrder(["a", "b", "c"], "zzz", "down")).toEqual(["a", "b", "c"]);
  });

  it("ranks only the moved item and those above it, never items not yet placed", () => {
    expect(applyRankMove(priorities, {}, "access", "up")).toEqual({
      "q.priorities.access": ["1"],
      "q.priorities.funding": ["2"],
      "q.priorities.data": [""],
    });
    const twice = applyRankMove(
      priorities,
      applyRankMove(priorities, {}, "access", "up"),
      "funding",
      "up",
    );
    expect(twice).toEqual({
      "q.priorities.access": ["2"],
      "q.priorities.funding": ["1"],
      "q.priorities.data": [""],
    });
    // A move that goes nowhere (the first item up) changes nothing.
    expect(applyRankMove(priorities, {}, "funding", "up")).toEqual({
      "q.priorities.access": [""],
      "q.priorities.funding": [""],
      "q.priorities.data": [""],
    });
  });

  it("ranks the items the moved one passes, so moving the last item up completes a ranking", () => {
    const after = applyRankMove(
      priorities,
      { "q.priorities.access": ["1"], "q.org_type": ["x"] },
      "data",
      "up",
    );
    expect(after).toEqual({
      "q.org_type": ["x"],
      "q.priorities.access": ["1"],
      "q.priorities.data": ["2"],
      "q.priorities.funding": ["3"],
    });
    expect(applyRankMove(priorities, {}, "unknown", "up")).toEqual({});
  });
});

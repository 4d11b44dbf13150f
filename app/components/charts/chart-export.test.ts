// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { chartFileName, chartSvgDocument, escapeXml } from "./chart-export";

const CHART =
  '<svg class="recharts-surface" width="600" height="200" viewBox="0 0 600 200" style="width: 100%;"><defs><pattern id="hatch-1"/></defs><rect fill="url(#hatch-1)"/><text>Mobility</text></svg>';

describe("chartSvgDocument", () => {
  const svg = chartSvgDocument({
    chart: CHART,
    width: 600,
    height: 200,
    title: "Top needs: Short term (up to 2 years) & more",
    lines: ["Base: n = 212 · Date: 5 Dec 2026"],
    legend: [
      { label: "EU", colour: "#0b5cad" },
      { label: "Russia", colour: "#b35900" },
    ],
  });

  it("is one SVG document with the title, the base and the date above the chart", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain("Top needs: Short term (up to 2 years) &amp; more");
    expect(svg).toContain("Base: n = 212 · Date: 5 Dec 2026");
    expect(svg.indexOf("Base: n = 212")).toBeLessThan(svg.indexOf("recharts-surface"));
    expect(
      new DOMParser().parseFromString(svg, "image/svg+xml").querySelector("parsererror"),
    ).toBeNull();
  });

  it("places the chart under the header, keeping its drawing and patterns", () => {
    const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
    const nested = doc.querySelector("svg > svg")!;
    expect(Number(nested.getAttribute("y"))).toBeGreaterThan(40);
    expect(nested.getAttribute("width")).toBe("600");
    expect(nested.getAttribute("style")).toBeNull();
    expect(nested.querySelector("pattern#hatch-1")).not.toBeNull();
    const root = doc.documentElement;
    expect(Number(root.getAttribute("height"))).toBe(Number(nested.getAttribute("y")) + 200 + 16);
  });

  it("draws the legend in SVG with the series colours", () => {
    expect(svg).toMatch(/<rect [^>]*fill="#0b5cad"\/>\s*<text [^>]*>EU<\/text>/);
    expect(svg).toContain(">Russia</text>");
  });

  it("wraps a long title and refuses what is not an SVG element", () => {
    const long = chartSvgDocument({
      chart: CHART,
      width: 320,
      height: 100,
      title:
        "Потребности в сотрудничестве по горизонтам: краткосрочные и среднесрочные, по группам стран",
      lines: [],
    });
    expect(long.match(/font-weight="700"/g)!.length).toBeGreaterThan(1);
    expect(() =>
      chartSvgDocument({ chart: "<div/>", width: 1, height: 1, title: "x", lines: [] }),
    ).toThrow(/not an <svg>/);
  });
});

describe("chartFileName", () => {
  it("names the file after the title and the date, in any script", () => {
    const date = new Date("2026-12-05T18:00:00Z");
    expect(chartFileName("Top needs: Short term", date, "svg")).toBe(
      "top-needs-short-term-2026-12-05.svg",
    );
    expect(chartFileName("Главные потребности", date, "png")).toBe(
      "главные-потребности-2026-12-05.png",
    );
    expect(chartFileName("–", date, "png")).toBe("chart-2026-12-05.png");
  });

  it("escapes markup in texts", () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;",
    );
  });
});

describe("the space of the page's legend", () => {
  it("is cut from the top of the chart", () => {
    const svg = chartSvgDocument({
      chart: CHART,
      width: 600,
      height: 200,
      title: "t",
      lines: [],
      legend: [{ label: "EU", colour: "#0b5cad" }],
      cropTop: 28,
    });
    const nested = new DOMParser()
      .parseFromString(svg, "image/svg+xml")
      .querySelector("svg > svg")!;
    expect(nested.getAttribute("viewBox")).toBe("0 28 600 172");
    expect(nested.getAttribute("height")).toBe("172");
  });
});

describe("the note under a chart", () => {
  it("is wrapped under the drawing, inside the image", () => {
    const note =
      "“tied”: the 95 % confidence interval overlaps heavily with that of the next item, so their order is not certain.";
    const svg = chartSvgDocument({
      chart: CHART,
      width: 400,
      height: 200,
      title: "t",
      lines: [],
      footer: note,
    });
    const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
    const nested = doc.querySelector("svg > svg")!;
    const texts = [...doc.querySelectorAll("svg > text")].filter(
      (t) => Number(t.getAttribute("y")) > Number(nested.getAttribute("y")) + 200,
    );
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.map((t) => t.textContent).join(" ")).toBe(note);
    expect(Number(doc.documentElement.getAttribute("height"))).toBeGreaterThan(
      Number(texts[texts.length - 1].getAttribute("y")),
    );
  });
});

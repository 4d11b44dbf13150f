/**
 * Which texts a page's HTML carries. The root loader sends the browser the message catalog its
 * pages need (hydration needs every text the page shows): public and respondent pages get the
 * public namespaces, staff pages every namespace, except the pages listed here, which get only
 * the parts they show. A part is a namespace (`"dashboard"`) or a subtree of one
 * (`"manage.nav"`). Shared by the root loader and its `shouldRevalidate` (moving to a page with
 * another list reloads the root's data), so it holds no server code.
 */

/** The staff layout: the header's navigation, the hidden Next button, error pages. */
const STAFF_LAYOUT = [
  "common",
  "auth.nav",
  "dashboard.nav",
  "manage.nav",
  "register.nav",
  "respond.page.next",
] as const;

/** Parts of one namespace: `under("exports", ["links"])` is `["exports.links"]`. */
function under(namespace: string, keys: readonly string[]): string[] {
  return keys.map((k) => `${namespace}.${k}`);
}

const PAGES: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  // The working-group dashboard (every namespace would be about 100 kB of its HTML): its
  // sections (not the overview's, report's or free-text page's own texts), the consensus
  // section of Delphi rounds, the export links and the needs register's "add" links.
  [
    /^\/staff\/groups\/[^/]+\/?$/,
    [
      ...STAFF_LAYOUT,
      ...under("dashboard", [
        "title",
        "surveyLabel",
        "surveyStatus",
        "versions",
        "noSurvey",
        "contents",
        "filters",
        "countryGroups",
        "countryGroupsLong",
        "horizons",
        "horizonsShort",
        "suppression",
        "chartNote",
        "chart",
        "showTable",
        "glance",
        "onDemand",
        "participation",
        "profile",
        "findings",
        "needs",
        "ci",
        "borich",
        "themes",
        "texts.kinds",
        "distributions",
        "errors",
      ]),
      ...under("delphi", ["consensus", "dimension", "horizon"]),
      ...under("exports", [
        "heading",
        "intro",
        "filtered",
        "unfiltered",
        "horizonNote",
        "links",
        "languages",
        "hint",
      ]),
      "register.figures",
    ],
  ],
];

/** The message parts of a staff page that lists them, or null (that page gets them all). */
export function pageMessageParts(pathname: string): readonly string[] | null {
  return PAGES.find(([path]) => path.test(pathname))?.[1] ?? null;
}

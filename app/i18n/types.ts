/** A plural message: Intl.PluralRules categories, `other` always present. */
export type Plural = { other: string; zero?: string; one?: string; two?: string; few?: string; many?: string };

/** The shape of a catalog in another language: the same keys, any strings. */
export type Messages<T> = {
  -readonly [K in keyof T]: T[K] extends string ? string : T[K] extends { other: string } ? Plural : Messages<T[K]>;
};

type Leaves<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string
    ? `${P}${K}`
    : T[K] extends { other: string }
      ? `${P}${K}`
      : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

export type { Leaves };

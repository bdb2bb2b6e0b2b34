// Prisma column values as the domain keeps them.

export function toNumber(value: { toString(): string } | null): number | null {
  return value === null ? null : Number(value.toString());
}

/** A `@db.Date` column as "YYYY-MM-DD". */
export function toDateText(value: Date | null): string | null {
  return value === null ? null : value.toISOString().slice(0, 10);
}

export function fromDateText(value: string): Date {
  return new Date(`${value}T00:00:00Z`);
}

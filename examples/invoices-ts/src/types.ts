export interface InvoiceLine {
  description: string;
  quantity: number;
  unitPrice: number;
}

export interface Payment {
  date: string;
  amount: number;
}

/** What billing sends to render a statement. */
export interface Invoice {
  id: string;
  customer: string;
  currency: string;
  lines: InvoiceLine[];
  payments: Payment[];
}

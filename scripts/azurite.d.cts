export interface Azurite {
  connectionString: string;
  pid: number;
  stop(): Promise<void>;
}
export function startAzurite(): Promise<Azurite>;

export { AlphaVantageMarketData, DEFAULT_CANDLE_LIMIT, newsTicker } from './adapter.js';
export { AlphaVantageClient, ALPHA_VANTAGE_KEY_ENV, classifyReply, type AlphaVantageOptions } from './client.js';

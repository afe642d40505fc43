/** The data quality screen's address (issue 17). */
export const QUALITY_PATH = '/chat-luong';

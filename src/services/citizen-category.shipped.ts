import type { CitizenCategoryInput } from '../contract/citizen.ts';

/**
 * The categories Opsroom ships (issue 20), installed on first start: the lines Vietnamese cities
 * run today. Deadlines follow them: Hà Nội's iHanoi receives a report within 8 working hours,
 * 4 for urgent cases (Decision 1207/QĐ-UBND); Hồ Chí Minh City's 1022 answers within 5 working
 * days. The 5656 line for spam messages and calls is answered by the province's information
 * and communications department, with the operators.
 */
export const SHIPPED_CITIZEN_CATEGORIES: readonly CitizenCategoryInput[] = [
  {
    code: 'TIN_NHAN_RAC_5656',
    nameVi: 'Tin nhắn rác, cuộc gọi rác (5656)',
    nameEn: 'Spam messages and calls (5656)',
    descriptionVi:
      'Phản ánh tin nhắn quảng cáo, lừa đảo hoặc cuộc gọi rác: số gửi, nội dung, nhà mạng của bạn và thời điểm nhận.',
    descriptionEn:
      'Report an advertising or scam message, or a spam call: the sending number, the content, your operator and when it came.',
    groupVi: 'An toàn thông tin',
    groupEn: 'Information security',
    keywords: [
      '5656',
      'tin nhắn rác',
      'tin nhan rac',
      'cuộc gọi rác',
      'cuoc goi rac',
      'lừa đảo',
      'spam',
    ],
    handledBy: { level: 'province' },
    acknowledgeWithin: { hours: 8 },
    answerWithin: { days: 5 },
    photoRequired: false,
  },
  {
    code: 'HA_TANG_DO_THI',
    nameVi: 'Hạ tầng đô thị hư hỏng',
    nameEn: 'Damaged urban infrastructure',
    descriptionVi:
      'Ổ gà, vỉa hè hư hỏng, đèn đường không sáng, nắp cống mất, cây đổ, biển báo hư: nơi xảy ra và ảnh nếu có.',
    descriptionEn:
      'Potholes, broken pavements, street lights out, missing drain covers, fallen trees, damaged signs: where, and a photo if you can.',
    groupVi: 'Đô thị',
    groupEn: 'Urban',
    keywords: ['ổ gà', 'o ga', 'đèn đường', 'den duong', 'vỉa hè', 'via he', 'nắp cống', 'cây đổ'],
    handledBy: { level: 'commune' },
    acknowledgeWithin: { hours: 8 },
    answerWithin: { days: 5 },
    photoRequired: true,
  },
  {
    code: 'O_NHIEM_MOI_TRUONG',
    nameVi: 'Ô nhiễm môi trường',
    nameEn: 'Environmental pollution',
    descriptionVi:
      'Rác thải tồn đọng, xả thải, khói bụi, tiếng ồn, mùi hôi, nước thải: nơi xảy ra, thời điểm và ảnh nếu có.',
    descriptionEn:
      'Uncollected waste, dumping, smoke and dust, noise, smells, waste water: where, when, and a photo if you can.',
    groupVi: 'Môi trường',
    groupEn: 'Environment',
    keywords: ['rác', 'rac', 'xả thải', 'tiếng ồn', 'tieng on', 'khói bụi', 'mùi hôi', 'nước thải'],
    handledBy: { level: 'commune' },
    acknowledgeWithin: { hours: 8 },
    answerWithin: { days: 5 },
    photoRequired: true,
  },
  {
    code: 'THU_TUC_HANH_CHINH',
    nameVi: 'Thủ tục hành chính',
    nameEn: 'Administrative procedures',
    descriptionVi: 'Hỏi về thủ tục, hồ sơ trễ hẹn, thái độ phục vụ của cán bộ tại bộ phận một cửa.',
    descriptionEn:
      'Questions about a procedure, an application past its date, how officials at the one-stop desk served you.',
    groupVi: 'Hành chính',
    groupEn: 'Administration',
    keywords: ['thủ tục', 'thu tuc', 'hồ sơ', 'ho so', 'một cửa', 'mot cua', 'trễ hẹn'],
    handledBy: { level: 'commune' },
    acknowledgeWithin: { hours: 8 },
    answerWithin: { days: 5 },
    photoRequired: false,
  },
  {
    code: 'AN_NINH_TRAT_TU',
    nameVi: 'An ninh trật tự',
    nameEn: 'Public order and security',
    descriptionVi:
      'Lấn chiếm lòng đường, vỉa hè, tụ tập gây rối, đua xe, trộm cắp. Việc khẩn cấp xin gọi 113.',
    descriptionEn:
      'Encroachment on roads and pavements, disorderly gatherings, street racing, theft. For an emergency call 113.',
    groupVi: 'An ninh',
    groupEn: 'Security',
    keywords: ['lấn chiếm', 'lan chiem', 'gây rối', 'gay roi', 'đua xe', 'dua xe', 'trộm', 'trom'],
    handledBy: { level: 'commune' },
    // Urgent in iHanoi's terms: received within 4 working hours.
    acknowledgeWithin: { hours: 4 },
    answerWithin: { days: 5 },
    photoRequired: false,
  },
];

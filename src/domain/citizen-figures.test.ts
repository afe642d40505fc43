import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  maskContacts,
  median,
  monthFigures,
  searchableWord,
  vnMonth,
  vnMonthSpan,
  type FigureReport,
} from './citizen-figures.ts';

describe('maskContacts', () => {
  it('masks phone numbers as people write them, keeping the first and last two digits', () => {
    assert.equal(maskContacts('Gọi 0912345678 nhé'), 'Gọi 09xxxxxx78 nhé');
    assert.equal(maskContacts('SĐT: 0912 345 678.'), 'SĐT: 09xx xxx x78.');
    assert.equal(maskContacts('số 0912.345.678'), 'số 09xx.xxx.x78');
    assert.equal(maskContacts('+84 912 345 678'), '+84 xxx xxx x78');
    assert.equal(maskContacts('máy bàn (028) 3829 1234'), 'máy bàn (02x) xxxx xx34');
  });

  it('masks email addresses, keeping the first letter and the domain', () => {
    assert.equal(
      maskContacts('Liên hệ Dan.Pho@Example.VN hoặc a@b.vn'),
      'Liên hệ D***@Example.VN hoặc a***@b.vn',
    );
  });

  it('leaves dates, amounts, short numbers and plain text alone', () => {
    for (const s of [
      'Ngày 20/11/2026 lúc 16:30',
      'ngày 20.11.2026',
      'Phạt 15.000.000.000 đồng',
      'Tổ 12, khu phố 3, 250 hộ',
      'Đường Nguyễn Huệ',
    ])
      assert.equal(maskContacts(s), s);
  });
});

describe('figures of a month', () => {
  const r = (o: Partial<FigureReport>): FigureReport => ({
    category: 'X',
    version: '2025',
    handlerCode: '26743',
    handlerPath: '/VN/79/26743/',
    status: 'answered',
    createdAt: new Date('2026-11-02T02:00:00Z'),
    answeredAt: null,
    answerDue: new Date('2026-11-09T10:00:00Z'),
    rating: null,
    ...o,
  });

  it('counts a report in Viet Nam’s month, on time or late against its due time', () => {
    // 30 November 23:30 in Viet Nam is December there, November in UTC.
    assert.equal(vnMonth(new Date('2026-11-30T17:30:00Z')), '2026-12');
    assert.deepEqual(vnMonthSpan('2026-12'), {
      from: new Date('2026-11-30T17:00:00Z'),
      to: new Date('2026-12-31T17:00:00Z'),
    });
    const out = monthFigures(
      '2026-11',
      [
        r({ answeredAt: new Date('2026-11-09T10:00:00Z'), rating: 5 }),
        r({ answeredAt: new Date('2026-11-09T10:00:01Z'), rating: 3 }),
        r({ status: 'refused', answeredAt: null }),
      ],
      (x) => (x.answeredAt!.getTime() - x.createdAt.getTime()) / 3_600_000,
      new Date('2026-12-01T00:00:00Z'),
    );
    const get = (e: string, u = '26743', o = 'PA_X') =>
      out.find((f) => f.element === e && f.unit === u && f.option === o)?.value;
    assert.equal(get('PA_RECEIVED'), 3);
    assert.equal(get('PA_ANSWERED_ON_TIME'), 1);
    assert.equal(get('PA_ANSWERED_LATE'), 1);
    assert.equal(get('PA_RATED_GOOD'), 1);
    assert.equal(get('PA_RATING_STARS'), 8);
    assert.equal(get('PA_MEDIAN_HOURS_PROVINCE', '79', 'default'), 176);
    assert.equal(get('PA_MEDIAN_HOURS_NATION', 'VN', 'default'), 176);
  });

  it('counts an unanswered report past its deadline as overdue in the month it came', () => {
    const reports = [
      r({ status: 'in_progress' }),
      r({ status: 'received', answerDue: new Date('2026-11-20T10:00:00Z') }),
      r({ status: 'refused' }),
      r({ status: 'closed' }),
      r({ answeredAt: new Date('2026-11-10T10:00:00Z') }),
    ];
    const overdue = (now: string, month = '2026-11') =>
      monthFigures(month, reports, () => 1, new Date(now)).find(
        (f) => f.element === 'PA_OVERDUE_OPEN',
      )?.value;
    assert.equal(overdue('2026-11-09T09:59:59Z'), undefined, 'not yet due');
    assert.equal(overdue('2026-11-10T00:00:00Z'), 1);
    assert.equal(overdue('2026-11-21T00:00:00Z'), 2);
    assert.equal(overdue('2026-12-21T00:00:00Z', '2026-12'), undefined, 'not in a later month');
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    assert.equal(median([8, 1, 3, 100]), 5.5);
    assert.equal(median([]), null);
  });

  it('does not search by a phone number or an address', () => {
    assert.equal(searchableWord('0912345678'), false);
    assert.equal(searchableWord('rac'), true);
    assert.equal(searchableWord('2026'), true);
  });
});

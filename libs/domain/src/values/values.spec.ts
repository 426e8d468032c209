import fc from 'fast-check';
import {
  AmountSchema,
  compareAmounts,
  normaliseAmount,
  sumAmounts,
  CurrencyOrUnitSchema,
  QuantitySchema,
  EffectiveDateSchema,
  CalendarDateSchema,
  dateStart,
  precisionOf,
  SlugSchema,
} from '../index';

describe('AmountSchema', () => {
  it.each([
    ['007.50', '7.5'],
    ['200000000000', '200000000000'],
    ['0', '0'],
    ['000', '0'],
    ['0.0', '0'],
    ['0.500', '0.5'],
    ['10', '10'],
    ['1'.repeat(30), '1'.repeat(30)],
    ['0.' + '0'.repeat(17) + '1', '0.' + '0'.repeat(17) + '1'],
  ])('accepts %s as %s', (input, normal) => {
    expect(AmountSchema.parse(input)).toBe(normal);
  });

  it.each([
    [200000000000],
    [0.5],
    ['2e11'],
    ['2E11'],
    ['-5'],
    ['-0'],
    ['+5'],
    ['.5'],
    ['5.'],
    [''],
    [' 5'],
    ['1,5'],
    ['0x10'],
    ['Infinity'],
    ['NaN'],
    ['1'.repeat(31)],
    ['0.' + '1'.repeat(19)],
    [null],
  ])('rejects %p', (input) => {
    expect(AmountSchema.safeParse(input).success).toBe(false);
  });

  it('adds exactly beyond the range of a double', () => {
    expect(sumAmounts(['9007199254740993', '0.1'])).toBe('9007199254740993.1');
    expect(sumAmounts(['0.1', '0.2'])).toBe('0.3');
    expect(sumAmounts(['999999999999999999999999999999', '1'])).toBe('1000000000000000000000000000000');
    expect(sumAmounts(['0', '0'])).toBe('0');
    expect(sumAmounts([])).toBe('0');
    expect(sumAmounts(['1.25', '2.75', '10'])).toBe('14');
  });

  it.each([
    [['007'], '7'],
    [['0.0'], '0'],
    [['000.000'], '0'],
    [['0.000000000000000001'], '0.000000000000000001'],
    [['0.000000000000000001', '0.999999999999999999'], '1'],
    [['1.5000000000000000000000'], '1.5'],
    [['123456789012345678901234567890.123456789012345678'], '123456789012345678901234567890.123456789012345678'],
  ])('sums %p to %p', (amounts, sum) => {
    expect(sumAmounts(amounts)).toBe(sum);
  });

  it('refuses to sum a figure finer than 18 fraction digits', () => {
    expect(() => sumAmounts(['0.0000000000000000001'])).toThrow(/fraction digits/);
    expect(() => sumAmounts(['1e3'])).toThrow();
  });

  // The reference adds digit strings by hand, the way a person would on paper: no BigInt, no number.
  it('sums any amounts as adding their digits by hand does', () => {
    const digits = (amount: string) => {
      const [integer = '0', fraction = ''] = amount.split('.');
      return { integer, fraction };
    };
    const addByHand = (a: string, b: string): string => {
      const x = digits(a);
      const y = digits(b);
      const width = Math.max(x.fraction.length, y.fraction.length);
      const left = (x.integer + x.fraction.padEnd(width, '0')).split('').reverse();
      const right = (y.integer + y.fraction.padEnd(width, '0')).split('').reverse();
      let carry = 0;
      let out = '';
      for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
        const d = Number(left[i] ?? 0) + Number(right[i] ?? 0) + carry;
        out = String(d % 10) + out;
        carry = d >= 10 ? 1 : 0;
      }
      if (carry) out = '1' + out;
      const integer = out.slice(0, out.length - width);
      return normaliseAmount(width === 0 ? out : `${integer === '' ? '0' : integer}.${out.slice(out.length - width)}`);
    };
    const amount = fc
      .tuple(fc.stringMatching(/^[0-9]{1,30}$/), fc.option(fc.stringMatching(/^[0-9]{1,18}$/)))
      .map(([integer, fraction]) => (fraction === null ? integer : `${integer}.${fraction}`));
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 6 }), (amounts) => {
        expect(sumAmounts(amounts)).toBe(amounts.reduce(addByHand, '0'));
      }),
      { numRuns: 2000 },
    );
  });

  it('compares by value', () => {
    expect(compareAmounts('7.50', '7.5')).toBe(0);
    expect(compareAmounts('10', '9.999')).toBe(1);
    expect(compareAmounts('0.01', '0.1')).toBe(-1);
    expect(compareAmounts('200000000000', '20000000000')).toBe(1);
  });

  it('normalises without a number in between', () => {
    expect(normaliseAmount('00012345678901234567890.1200')).toBe('12345678901234567890.12');
    expect(() => normaliseAmount('1e3')).toThrow();
  });
});

describe('CurrencyOrUnitSchema', () => {
  it.each(['EUR', 'USD', 'ai-factory', 'ai-gigafactory', 'GW', 'MW', 'chips', 'h100-gpus'])('accepts %s', (unit) => {
    expect(CurrencyOrUnitSchema.parse(unit)).toBe(unit);
  });
  it.each(['eur', 'usd', 'Eur', 'EURO', 'ai_factory', '-gw', 'ai--factory', '', 'gw', 'kW', 'AI-FACTORY'])('rejects %s', (unit) => {
    expect(CurrencyOrUnitSchema.safeParse(unit).success).toBe(false);
  });
});

describe('QuantitySchema', () => {
  it('accepts an exact figure and normalises its amounts', () => {
    expect(QuantitySchema.parse({ unit: 'EUR', low: '020', high: '20.0', qualifier: 'exact' })).toEqual({
      unit: 'EUR',
      low: '20',
      high: '20',
      qualifier: 'exact',
    });
  });
  it.each(['about', 'up-to', 'at-least', 'exact'])('keeps low = high for %s', (qualifier) => {
    expect(QuantitySchema.safeParse({ unit: 'EUR', low: '5', high: '5', qualifier }).success).toBe(true);
    expect(QuantitySchema.safeParse({ unit: 'EUR', low: '4', high: '5', qualifier }).success).toBe(false);
  });
  it('needs low below high for a range', () => {
    expect(QuantitySchema.safeParse({ unit: 'GW', low: '1', high: '1.5', qualifier: 'range' }).success).toBe(true);
    expect(QuantitySchema.safeParse({ unit: 'GW', low: '1.5', high: '1.50', qualifier: 'range' }).success).toBe(false);
  });
  it('refuses low above high whatever the qualifier', () => {
    for (const qualifier of ['exact', 'about', 'up-to', 'at-least', 'range']) {
      expect(QuantitySchema.safeParse({ unit: 'EUR', low: '6', high: '5', qualifier }).success).toBe(false);
    }
  });
  it('takes an unquantified figure without amounts', () => {
    expect(QuantitySchema.parse({ unit: 'EUR', qualifier: 'unquantified' })).toEqual({ unit: 'EUR', qualifier: 'unquantified' });
    expect(QuantitySchema.safeParse({ unit: 'EUR', qualifier: 'unquantified', low: '1', high: '1' }).success).toBe(false);
  });
  it('refuses floats, unknown keys, lowercase currencies and unknown qualifiers', () => {
    expect(QuantitySchema.safeParse({ unit: 'EUR', low: 5, high: 5, qualifier: 'exact' }).success).toBe(false);
    expect(QuantitySchema.safeParse({ unit: 'EUR', low: '5', high: '5', qualifier: 'exact', note: 'x' }).success).toBe(false);
    expect(QuantitySchema.safeParse({ unit: 'eur', low: '5', high: '5', qualifier: 'exact' }).success).toBe(false);
    expect(QuantitySchema.safeParse({ unit: 'EUR', low: '5', high: '5', qualifier: 'roughly' }).success).toBe(false);
    expect(QuantitySchema.safeParse({ unit: 'EUR', low: '5', qualifier: 'exact' }).success).toBe(false);
  });
});

describe('dates', () => {
  it.each(['2025-02-11', '2024-12', '2024-02-29', '2000-02-29'])('accepts effective date %s', (date) => {
    expect(EffectiveDateSchema.parse(date)).toBe(date);
  });
  it.each(['2025-02-30', '2025-02-29', '1900-02-29', '2025-13', '2025-00', '2025-1-5', '2025', '2025-02-11T00:00:00Z', '11/02/2025'])(
    'rejects effective date %s',
    (date) => {
      expect(EffectiveDateSchema.safeParse(date).success).toBe(false);
    },
  );
  it('accepts only full dates as calendar dates', () => {
    expect(CalendarDateSchema.safeParse('2025-02-11').success).toBe(true);
    expect(CalendarDateSchema.safeParse('2025-02').success).toBe(false);
  });
  it('counts a reduced date from the first day of its month', () => {
    expect(dateStart('2024-12')).toBe('2024-12-01');
    expect(dateStart('2024-12-04')).toBe('2024-12-04');
    expect(precisionOf('2024-12')).toBe('month');
    expect(precisionOf('2024-12-04')).toBe('day');
  });
});

describe('SlugSchema', () => {
  it.each(['investai', 'ai-gigafactories', '2025-mou', 'a', 'x'.repeat(80)])('accepts %s', (slug) => {
    expect(SlugSchema.safeParse(slug).success).toBe(true);
  });
  it.each(['', '-investai', 'InvestAI', 'invest_ai', 'x'.repeat(81), 'invest ai', 'é'])('rejects %s', (slug) => {
    expect(SlugSchema.safeParse(slug).success).toBe(false);
  });
});

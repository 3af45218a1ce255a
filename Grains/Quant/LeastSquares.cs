using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace TradingOrleans.Grains.Quant;

/// <summary>An ordinary least-squares fit y = X b + e, with what the unit-root and cointegration tests need from it.</summary>
public sealed class LeastSquares
{
    private LeastSquares(Vector<double> coefficients, Vector<double> residuals, Vector<double> standardErrors)
    {
        Coefficients = coefficients;
        Residuals = residuals;
        StandardErrors = standardErrors;
    }

    public Vector<double> Coefficients { get; }

    public Vector<double> Residuals { get; }

    /// <summary>Classical standard errors: √(s² (X'X)⁻¹_ii) with s² = SSR / (n − k).</summary>
    public Vector<double> StandardErrors { get; }

    public double SumOfSquaredResiduals => Residuals.DotProduct(Residuals);

    /// <summary>t statistic of one coefficient against zero.</summary>
    public double TStatistic(int index) => Coefficients[index] / StandardErrors[index];

    public static LeastSquares Fit(Matrix<double> regressors, Vector<double> response)
    {
        var coefficients = regressors.QR(QRMethod.Thin).Solve(response);
        var residuals = response - regressors * coefficients;
        var degreesOfFreedom = regressors.RowCount - regressors.ColumnCount;
        var variance = residuals.DotProduct(residuals) / degreesOfFreedom;
        var covariance = regressors.TransposeThisAndMultiply(regressors).Inverse() * variance;
        return new LeastSquares(coefficients, residuals, covariance.Diagonal().PointwiseSqrt());
    }
}
